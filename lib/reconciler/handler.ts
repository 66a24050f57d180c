import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { reconcileService, type ReconcilerDependencies } from './runner.js';
import { servicesNamedBy, type ReconcilerEvent } from './triggers.js';

export type ReconcilerHandler = (event: ReconcilerEvent, context: Context) => Promise<void>;

/**
 * The reconciler Lambda: stream records, ECS task state changes and requeue messages only name
 * services; each named service is reconciled from scratch. A failure is rethrown so the
 * trigger retries it (the stream retries the batch, SQS redelivers the message).
 */
export function createReconcilerHandler(deps: Omit<ReconcilerDependencies, 'holder'> & { logger: Logger }): ReconcilerHandler {
  const handle = async (event: ReconcilerEvent, context: Context): Promise<void> => {
    const holder = context?.awsRequestId ?? randomUUID();
    const names = servicesNamedBy(event);
    const results = await Promise.allSettled(names.map((name) => reconcileService({ ...deps, holder: `${holder}/${name}` }, name)));
    const failed = results.flatMap((result, index) => (result.status === 'rejected' ? [{ name: names[index], error: result.reason as Error }] : []));
    for (const { name, error } of failed) {
      deps.logger.error('reconcile failed', { corralService: name, errorName: error?.name, errorMessage: error?.message });
    }
    if (failed.length > 0) throw new AggregateError(failed.map((f) => f.error), `reconcile failed for ${failed.map((f) => f.name).join(', ')}`);
  };
  return middy<ReconcilerEvent, void>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .handler(handle) as unknown as ReconcilerHandler;
}
