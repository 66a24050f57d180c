import { Logger } from '@aws-lambda-powertools/logger';
import type { InitializeHandler, InitializeHandlerArguments, MetadataBearer } from '@smithy/types';
import type { DynamoDBRecord, DynamoDBStreamEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients, localClientOptions } from '../../lib/aws/clients.js';
import { serviceKeys } from '../../lib/aws/state/keys.js';
import { lambdaContext } from '../../lib/local/lambda-context.js';
import { localCluster, localTaskDefinitions } from '../../lib/local/runtime.js';
import { assembleReconcilerDependencies } from '../../lib/reconciler/dependencies.js';
import { createReconcilerHandler } from '../../lib/reconciler/handler.js';
import { call } from '../support/http.js';
import { startTestRuntime, type TestRuntime } from '../support/local-mode.js';

const services = Array.from({ length: 10 }, (_, i) => `batch-${i}`);
const failing = 'batch-4';

/**
 * A reconciler Lambda over the wire to the embedded endpoint, whose ECS calls for `failing`'s
 * tasks are refused (as if its cluster permissions were broken): every other service reconciles.
 */
function reconcilerWithOneBrokenService(rt: TestRuntime) {
  const clients = createAwsClients(localClientOptions(rt.awsUrl));
  (clients.ecs.middlewareStack as { add(m: unknown, o: unknown): void }).add(
    (next: InitializeHandler<object, MetadataBearer>) => async (args: InitializeHandlerArguments<object>) => {
      if ((args.input as { startedBy?: string }).startedBy === `corral/${failing}`) {
        throw Object.assign(new Error(`not authorized to list the tasks of ${failing}`), { name: 'AccessDeniedException', $metadata: {} });
      }
      return next(args);
    },
    { step: 'initialize', name: 'refuseOneService' },
  );
  const metrics = rt.metrics.forFunction();
  const handler = createReconcilerHandler(assembleReconcilerDependencies({
    documents: clients.documents, ecs: clients.ecs, cloudwatch: clients.cloudwatch, tableName: rt.tableName, cluster: localCluster,
    requeue: rt.reconcilerDeps.requeue, clock: rt.clock, logger: new Logger({ serviceName: 'corral-reconciler', logLevel: 'SILENT' }),
    metrics, taskDefinitions: localTaskDefinitions,
  }));
  return { handler, close: () => Object.values(clients).forEach((client) => client.destroy()) };
}

describe('a batch of 10 with one failing service (Powertools Batch, partial batch responses)', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    // Nothing reconciles on its own: the batches below are the only reconciles.
    rt = await startTestRuntime({ reconcile: false });
    for (const name of services) expect((await call(rt.apiUrl, 'PUT', `/services/${name}`, { image: 'nginx:1', replicas: 1 })).status).toBe(201);
  });
  afterAll(async () => {
    await rt?.close();
  });

  async function expectNineReconciled(): Promise<void> {
    for (const name of services) expect((await rt.liveTasks(name)).length, name).toBe(name === failing ? 0 : 1);
  }

  it('SQS requeue messages: only the failing service\'s message comes back', async () => {
    const reconciler = reconcilerWithOneBrokenService(rt);
    const records: SQSRecord[] = services.map((service, i) => ({
      messageId: `message-${i}`, receiptHandle: `handle-${i}`, body: JSON.stringify({ service }),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'local', ApproximateFirstReceiveTimestamp: '0' },
      messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:corral-requeue', awsRegion: 'us-east-1',
    }));
    const answer = await reconciler.handler({ Records: records } satisfies SQSEvent, lambdaContext('corral-reconciler'));
    reconciler.close();
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'message-4' }] });
    await expectNineReconciled();
  });

  it('table stream records: only the failing service\'s record is reported, by sequence number', async () => {
    // Each service's spec changes again (replicas 2), as a stream batch would carry.
    for (const name of services) expect((await call(rt.apiUrl, 'POST', `/services/${name}/scale`, { replicas: 2 })).status).toBe(200);
    const reconciler = reconcilerWithOneBrokenService(rt);
    const records: DynamoDBRecord[] = services.map((service, i) => ({
      eventID: `event-${i}`, eventName: 'MODIFY', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1',
      dynamodb: { Keys: { pk: { S: serviceKeys.partition(service) }, sk: { S: serviceKeys.spec } }, SequenceNumber: String(1000 + i), StreamViewType: 'KEYS_ONLY' },
    }));
    const answer = await reconciler.handler({ Records: records } satisfies DynamoDBStreamEvent, lambdaContext('corral-reconciler'));
    reconciler.close();
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '1004' }] });
    for (const name of services) expect((await rt.liveTasks(name)).length, name).toBe(name === failing ? 0 : 2);
    // The failures were counted: once per failed reconcile, aggregated and for the service.
    rt.metrics.flush();
    expect(rt.metrics.sum('ReconcileErrors')).toBe(2);
    expect(rt.metrics.sum('ReconcileErrors', { service: failing })).toBe(2);
    expect(rt.metrics.sum('TasksStarted')).toBe(18);
  });
});
