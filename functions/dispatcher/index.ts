import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { createCloudWatchClient, createDynamoClients, createEcsClient, createSqsClient } from '../../lib/aws/clients.js';
import { JobStore } from '../../lib/aws/job-store.js';
import { readEnvironment } from '../../lib/aws/environment.js';
import { createTrafficPorts } from '../../lib/aws/traffic-clients.js';
import { LeaderElector } from '../../lib/aws/leader-election.js';
import { DynamoLeaseStore } from '../../lib/aws/lease-store.js';
import { systemClock } from '../../lib/clock.js';
import { createDispatcherHandler } from '../../lib/dispatcher/handler.js';
import { singletonTasks } from '../../lib/dispatcher/singleton-tasks.js';
import { reconcilerDependencies } from '../../lib/reconciler/dependencies.js';

const logger = new Logger({ serviceName: 'corral-dispatcher' });
const environment = readEnvironment();
const clients = { ...createDynamoClients(), ecs: createEcsClient(), sqs: createSqsClient(), cloudwatch: createCloudWatchClient() };
const reconciler = reconcilerDependencies(environment, clients, logger, createTrafficPorts());

/**
 * The leader-elected dispatcher on the one-minute schedule. The holder id is chosen at cold
 * start, so a warm execution environment renews its leadership from tick to tick.
 */
export const handler = createDispatcherHandler({
  elector: new LeaderElector({ store: new DynamoLeaseStore(clients.documents, environment.tableName), name: 'dispatcher', holder: randomUUID() }),
  tasks: singletonTasks({ reconciler, holder: 'dispatcher', jobs: new JobStore(clients.documents, environment.tableName, systemClock) }),
  clock: systemClock,
  logger,
});
