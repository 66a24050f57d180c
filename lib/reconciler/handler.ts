import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { CorralMetrics } from '../observability/metrics.js';
import { reconcileLogger, type ReconcileTrigger } from '../observability/reconcile-logger.js';
import { reconcileService, type ReconcilerDependencies } from './runner.js';
import { servicesNamedBy, taskArnsNamedBy, type ReconcilerEvent } from './triggers.js';

export type ReconcilerResponse = SQSBatchResponse | DynamoDBBatchResponse | void;
export type ReconcilerHandler = (event: ReconcilerEvent, context: Context) => Promise<ReconcilerResponse>;

export type ReconcilerHandlerDependencies = Omit<ReconcilerDependencies, 'holder' | 'metrics'> & {
  logger: Logger;
  metrics: CorralMetrics;
  /** X-Ray, in Lambda only (functions/reconciler); local mode and tests run without. */
  tracer?: Tracer;
};

/**
 * The reconciler Lambda: stream records, ECS task state changes and requeue messages only name
 * services; each named service is reconciled from scratch. Stream and queue batches go through
 * Powertools Batch: the answer's `batchItemFailures` names only the records of services whose
 * reconcile failed, so those are retried and the rest are done (the event sources report item
 * failures). Records naming the same service share one reconcile. A task state change that fails
 * is rethrown so EventBridge's asynchronous invocation retries it.
 */
export function createReconcilerHandler(deps: ReconcilerHandlerDependencies): ReconcilerHandler {
  const handle = async (event: ReconcilerEvent, context: Context): Promise<ReconcilerResponse> => {
    const holder = context?.awsRequestId ?? randomUUID();
    // The tasks the batch's task state changes name, described along with each service's known ones.
    const taskArns = taskArnsNamedBy(event);
    const reconciles = new Map<string, Promise<unknown>>();
    const reconcileOnce = (name: string, trigger: ReconcileTrigger) => {
      let reconciling = reconciles.get(name);
      if (!reconciling) {
        const logger = reconcileLogger(deps.logger, name, trigger);
        reconciling = reconcileService({ ...deps, holder: `${holder}/${name}`, logger }, name, { taskArns: taskArns.get(name) ?? [] }).catch((error: Error) => {
          logger.error('reconcile failed', { corralService: name, errorName: error?.name, errorMessage: error?.message });
          throw error;
        });
        reconciles.set(name, reconciling);
      }
      return reconciling;
    };

    if ('Records' in event) {
      const stream = event.Records[0] !== undefined && 'dynamodb' in event.Records[0];
      const trigger: ReconcileTrigger = stream ? 'desired-state' : 'requeue';
      const record = async (item: DynamoDBRecord | SQSRecord) => {
        for (const name of servicesNamedBy({ Records: [item] } as ReconcilerEvent)) await reconcileOnce(name, trigger);
      };
      // A processor per invocation: it keeps the batch's state, and local mode runs invocations at once.
      return processPartialResponse(event, record, new BatchProcessor(stream ? EventType.DynamoDBStreams : EventType.SQS), { context });
    }
    const names = servicesNamedBy(event);
    const results = await Promise.allSettled(names.map((name) => reconcileOnce(name, 'task-state-change')));
    const failed = results.flatMap((result, index) => (result.status === 'rejected' ? [{ name: names[index], error: result.reason as Error }] : []));
    if (failed.length > 0) throw new AggregateError(failed.map((f) => f.error), `reconcile failed for ${failed.map((f) => f.name).join(', ')}`);
  };
  const chain = middy<ReconcilerEvent, ReconcilerResponse>();
  if (deps.tracer) chain.use(captureLambdaHandler(deps.tracer));
  return chain
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .use(logMetrics(deps.metrics.powertools))
    .handler(handle) as unknown as ReconcilerHandler;
}
