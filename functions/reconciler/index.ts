import { Logger } from '@aws-lambda-powertools/logger';
import { createCloudWatchClient, createDynamoClients, createEcsClient, createSqsClient } from '../../lib/aws/clients.js';
import { readEnvironment } from '../../lib/aws/environment.js';
import { createTrafficPorts } from '../../lib/aws/traffic-clients.js';
import { reconcilerDependencies } from '../../lib/reconciler/dependencies.js';
import { createReconcilerHandler } from '../../lib/reconciler/handler.js';

const logger = new Logger({ serviceName: 'corral-reconciler' });

const clients = { ...createDynamoClients(), ecs: createEcsClient(), sqs: createSqsClient(), cloudwatch: createCloudWatchClient() };

/** The reconciler Lambda: table stream, ECS task state changes and the requeue queue. */
export const handler = createReconcilerHandler(reconcilerDependencies(readEnvironment(), clients, logger, createTrafficPorts()));
