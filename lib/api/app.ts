import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { SecretStore } from '../aws/secret-store.js';
import type { StateStore } from '../aws/state-store.js';
import type { CorralMetrics } from '../observability/metrics.js';
import type { RolloutAlarmChecks } from './alarm-references.js';
import { NotFoundApiError } from './errors.js';
import { errorResponse } from './error-response.js';
import { requestIdOf, requestIdResponseHeader } from './request-id.js';
import { serviceRoutes, type Route } from './service-routes.js';

export interface ApiDependencies {
  store: StateStore;
  /** Where PUT checks that every secret a spec names is tagged corral:managed=true. */
  secrets: SecretStore;
  /** Where PUT checks `rollout.alarms`; without it the names are not checked (the reconciler holds on a missing one). */
  alarms?: RolloutAlarmChecks;
  logger: Logger;
  metrics: CorralMetrics;
  /** X-Ray, in Lambda only (functions/api); local mode and tests run without. */
  tracer?: Tracer;
  /** Route groups added by later features (jobs, secrets). */
  extraRoutes?: Route[];
}

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** The API's middy chain: request-scoped logging, the router, the error contract. */
export function createApiHandler(deps: ApiDependencies): ApiHandler {
  const routes = [...serviceRoutes(deps.store, deps.secrets, deps.alarms), ...(deps.extraRoutes ?? [])];
  const router = httpRouterHandler({
    routes,
    notFoundResponse: ({ method, path }: { method: string; path: string }) => {
      throw new NotFoundApiError(`no route for ${method} ${path}`);
    },
  });
  const chain = middy<APIGatewayProxyEvent, APIGatewayProxyResult>();
  if (deps.tracer) chain.use(captureLambdaHandler(deps.tracer));
  return chain
    .use(requestIdResponseHeader())
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .use(logMetrics(deps.metrics.powertools))
    .use({
      before: async (request) => {
        deps.logger.appendKeys({
          requestId: requestIdOf(request.event),
          method: request.event.httpMethod,
          path: request.event.path,
        });
      },
    })
    .use(errorResponse(deps.logger))
    .handler(router as unknown as ApiHandler) as unknown as ApiHandler;
}
