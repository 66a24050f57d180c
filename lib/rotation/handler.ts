import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { SecretStore } from '../aws/secret-store.js';
import type { CorralMetrics } from '../observability/metrics.js';
import type { ConsumerRestarter, RotationStrategy } from './ports.js';
import { createRotationSteps, type RotationStepOutcome } from './rotation-steps.js';

/** Everything the rotation Lambda needs; the local runtime passes its own. */
export interface RotationHandlerDeps {
  secrets: SecretStore;
  strategy: RotationStrategy;
  consumers: ConsumerRestarter;
  logger: Logger;
  metrics: CorralMetrics;
  /** X-Ray, in Lambda only (functions/rotation); local mode and tests run without. */
  tracer?: Tracer;
}

export type RotationHandler = (event: unknown, context: Context) => Promise<RotationStepOutcome>;

/**
 * The Secrets Manager rotation function: one step a call, Powertools context in every line.
 * A finished finishSecret counts as RotationSucceeded, any step that fails as RotationFailed
 * (Secrets Manager retries it, and every retry that fails counts).
 */
export function createRotationHandler(deps: RotationHandlerDeps): RotationHandler {
  const steps = createRotationSteps(deps);
  const run = async (event: unknown): Promise<RotationStepOutcome> => {
    try {
      const outcome = await steps.run(event);
      if (outcome.result === 'finished') deps.metrics.add('RotationSucceeded', 1);
      return outcome;
    } catch (error) {
      deps.metrics.add('RotationFailed', 1);
      throw error;
    }
  };
  const chain = middy<unknown, RotationStepOutcome>();
  if (deps.tracer) chain.use(captureLambdaHandler(deps.tracer));
  return chain
    .use(injectLambdaContext(deps.logger))
    .use(logMetrics(deps.metrics.powertools))
    .handler(run);
}

