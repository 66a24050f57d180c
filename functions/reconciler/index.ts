import { createCloudWatchClient, createDynamoClients, createEcsClient, createSqsClient } from '../../lib/aws/clients.js';
import { readEnvironment } from '../../lib/aws/environment.js';
import { lazyClient } from '../../lib/aws/lazy-client.js';
import { createTrafficPorts } from '../../lib/aws/traffic-clients.js';
import { functionObservability } from '../../lib/observability/function-observability.js';
import { reconcilerDependencies } from '../../lib/reconciler/dependencies.js';
import { createReconcilerHandler } from '../../lib/reconciler/handler.js';

const { logger, metrics, tracer, clientOptions } = await functionObservability('corral-reconciler');

const clients = {
  ...createDynamoClients(clientOptions),
  ecs: createEcsClient(clientOptions),
  sqs: createSqsClient(clientOptions),
  // Only specs with rollout alarms read any.
  cloudwatch: lazyClient(() => createCloudWatchClient(clientOptions)),
};

/** The reconciler Lambda: table stream, ECS task state changes and the requeue queue. */
export const handler = createReconcilerHandler({
  ...reconcilerDependencies(readEnvironment(), clients, { logger, metrics }, createTrafficPorts(clientOptions)),
  tracer,
});
