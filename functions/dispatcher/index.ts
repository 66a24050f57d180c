import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCloudWatchClient, createDynamoClients, createEcsClient, createSqsClient } from '../../lib/aws/clients.js';
import { JobStore } from '../../lib/aws/job-store.js';
import { readEnvironment } from '../../lib/aws/environment.js';
import { lazyClient } from '../../lib/aws/lazy-client.js';
import { createTrafficPorts } from '../../lib/aws/traffic-clients.js';
import { LeaderElector } from '../../lib/aws/leader-election.js';
import { DynamoLeaseStore } from '../../lib/aws/lease-store.js';
import { DynamoSweepProgress } from '../../lib/aws/sweep-progress.js';
import { SqsWakeUpQueue } from '../../lib/aws/wake-up-queue.js';
import { systemClock } from '../../lib/clock.js';
import { createDispatcherHandler } from '../../lib/dispatcher/handler.js';
import { singletonTasks } from '../../lib/dispatcher/singleton-tasks.js';
import { WakeUps } from '../../lib/dispatcher/wake-ups.js';
import { functionObservability } from '../../lib/observability/function-observability.js';
import { reconcilerDependencies } from '../../lib/reconciler/dependencies.js';

const { logger, metrics, tracer, clientOptions } = await functionObservability('corral-dispatcher');
const environment = readEnvironment();
const clients = {
  ...createDynamoClients(clientOptions),
  ecs: createEcsClient(clientOptions),
  sqs: createSqsClient(clientOptions),
  // Only specs with rollout alarms read any.
  cloudwatch: lazyClient(() => createCloudWatchClient(clientOptions)),
};
const reconciler = reconcilerDependencies(environment, clients, { logger, metrics }, createTrafficPorts(clientOptions));
const leases = new DynamoLeaseStore(clients.documents, environment.tableName);
const jobs = new JobStore(clients.documents, environment.tableName, systemClock);
const wakeUps = new WakeUps(new SqsWakeUpQueue(clients.sqs, environment.wakeUpQueueUrl), jobs);

/**
 * The leader-elected dispatcher: the one-minute schedule, precise wake-ups and job task state
 * changes. Holder ids are chosen at cold start, one for each kind of contest.
 */
export const handler = createDispatcherHandler({
  elector: new LeaderElector({ store: leases, name: 'dispatcher', holder: randomUUID() }),
  wakeUpElector: new LeaderElector({ store: leases, name: 'dispatcher', holder: randomUUID(), waitOutObservedLease: false }),
  tasks: singletonTasks({
    reconciler, holder: 'dispatcher', jobs, wakeUps,
    sweepProgress: (lease) => new DynamoSweepProgress(clients.documents, environment.tableName, lease),
  }),
  jobs,
  wakeUps,
  clock: systemClock,
  sleep: (ms) => sleep(ms),
  logger,
  metrics,
  tracer,
});
