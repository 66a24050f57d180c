import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { CreateClusterCommand } from '@aws-sdk/client-ecs';
import { systemClock, type Clock } from '../clock.js';
import { createApiHandler } from '../api/app.js';
import { CloudWatchAlarmStates } from '../aws/alarm-states.js';
import { DEFAULT_ALARM_NAME_PREFIX } from '../core/planner/defaults.js';
import { createAwsClients, localClientOptions, type AwsClients } from '../aws/clients.js';
import { createTrafficPorts } from '../aws/traffic-clients.js';
import { createStateStore, type StateStore } from '../aws/state-store.js';
import { ensureTable } from '../aws/table-setup.js';
import { localTableName } from '../aws/table-schema.js';
import { startApiServer } from './api-server.js';
import { assembleReconcilerDependencies, type ReconcilerParts } from '../reconciler/dependencies.js';
import { createReconcilerHandler } from '../reconciler/handler.js';
import { secretRoutes } from '../api/secret-routes.js';
import { jobRoutes } from '../api/job-routes.js';
import { JobStore } from '../aws/job-store.js';
import { createConsumerRestarter } from '../aws/consumer-restarter.js';
import { LeaderElector } from '../aws/leader-election.js';
import { createSecretStore } from '../aws/secret-store.js';
import { createDispatcherHandler, type DispatcherEvent } from '../dispatcher/handler.js';
import { WakeUps } from '../dispatcher/wake-ups.js';
import { isJobSpecChange } from '../dispatcher/job-changes.js';
import { isJobTaskEvent } from '../jobs/task-events.js';
import { BusWakeUpQueue } from './bus-wake-up-queue.js';
import { singletonTasks } from '../dispatcher/singleton-tasks.js';
import { DynamoSweepProgress, sweepFromTheStart } from '../aws/sweep-progress.js';
import { sweep } from '../reconciler/sweep.js';
import { randomPasswordStrategy } from '../rotation/index.js';
import { createRotationHandler } from '../rotation/index.js';
import { isServiceSpecRecord, taskEventBatching, type ReconcilerEvent } from '../reconciler/triggers.js';
import { startLocalAws, type LocalAws, type TaskDelays } from './aws/index.js';
import { LocalBus } from './bus.js';
import { BusRequeue } from './bus-requeue.js';
import { lambdaContext } from './lambda-context.js';
import { LocalMetrics } from './local-metrics.js';
import { VirtualClock } from './virtual-clock.js';

export interface LocalRuntimeOptions {
  host?: string;
  /** Corral API port (3000); 0 picks a free one. */
  apiPort?: number;
  /** AWS-compatible endpoint port (4566); 0 picks a free one. */
  awsPort?: number;
  /** Where desired state is kept; undefined keeps everything in memory (`--ephemeral`). */
  dataDir?: string;
  /** Simulated ECS delays; `zeroDelays` makes tasks start at once. */
  delays?: Partial<TaskDelays>;
  /** Use a virtual clock the caller advances (tests) instead of the wall clock. */
  virtualTime?: boolean;
  /** Where the virtual clock starts (epoch ms; default 2026-01-01), e.g. a restart's later time. */
  virtualStart?: number;
  /** Randomness of the simulated faults (throttling, capacity); tests pass a seeded one. */
  random?: () => number;
  /** Run the reconciler, dispatcher and rotation handlers (true); false serves the API alone. */
  reconcile?: boolean;
  /** Dispatcher instances contending for leadership on each one-minute tick (1). */
  dispatchers?: number;
  /**
   * How far into each minute the one-minute tick fires (0: on the minute). EventBridge fires a
   * rate(1 minute) rule some seconds into the minute, not on it; rehearse that here.
   */
  tickOffsetMs?: number;
  /**
   * Run the full sweep once at start-up rather than a minute later: simulated
   * tasks do not survive a restart, so `npm start` brings the services' tasks back at once.
   */
  sweepAtStart?: boolean;
  logLevel?: string;
}

export interface LocalRuntime {
  apiUrl: string;
  awsUrl: string;
  clock: Clock;
  bus: LocalBus;
  aws: LocalAws;
  clients: AwsClients;
  store: StateStore;
  tableName: string;
  clusterName: string;
  /** The ARN under which local Secrets Manager reaches Corral's rotation handler. */
  rotationFunctionArn: string;
  /** The reconciler's ports, for tests that invoke reconciles directly. */
  reconcilerDeps: ReconcilerParts;
  /** Every metric the functions published, as EMF documents; printed at `--log-level DEBUG`. */
  metrics: LocalMetrics;
  /** Another dispatcher instance, as a concurrent Lambda invocation would be. */
  createDispatcher(): (event: DispatcherEvent) => Promise<{ led: boolean }>;
  jobs: JobStore;
  close(): Promise<void>;
}

export const localDefaults = {
  host: '127.0.0.1',
  apiPort: 3000,
  awsPort: 4566,
  clusterName: 'corral',
} as const;

const localAccount = '000000000000';
const localQueues = { requeue: 'corral-requeue', taskEvents: 'corral-task-events', wakeUps: 'corral-dispatcher-wake-ups' } as const;
const localFunctions = {
  reconciler: 'corral-reconciler',
  dispatcher: 'corral-dispatcher',
  rotation: 'corral-rotation',
} as const;

/** The ECS network settings and task definition settings local mode's reconciler uses. */
export const localCluster = { cluster: localDefaults.clusterName, subnets: ['subnet-local'], securityGroups: ['sg-local'] };
export const localTaskDefinitions = {
  executionRoleArn: `arn:aws:iam::${localAccount}:role/corral-task-execution`,
  taskRoleArn: `arn:aws:iam::${localAccount}:role/corral-task`,
  logGroupPrefix: '/corral/services/',
  region: 'us-east-1',
};

export const zeroDelays: Partial<TaskDelays> = { provisioningMs: 0, pendingMs: 0, stoppingMs: 0, deprovisioningMs: 0 };

/**
 * Corral's local mode in one process: the AWS-compatible endpoint (dynalite, ECS, Secrets
 * Manager), the API handler on its own port, and the Lambda handlers on the same triggers as in
 * AWS, delivered through the in-process bus.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const host = options.host ?? localDefaults.host;
  const clock: Clock = options.virtualTime ? new VirtualClock(options.virtualStart) : systemClock;
  const logLevel = (options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN').toUpperCase();
  const logger = new Logger({ serviceName: 'corral', logLevel: logLevel as 'WARN' });
  const metrics = new LocalMetrics(logLevel === 'DEBUG' || logLevel === 'TRACE' ? (line) => process.stdout.write(`${line}\n`) : undefined);
  const bus = new LocalBus({ clock, log: (message, error) => logger.warn(message, { errorName: (error as Error)?.name, errorMessage: (error as Error)?.message }) });
  const aws = await startLocalAws({
    host, port: options.awsPort ?? localDefaults.awsPort, clock, bus,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.delays ? { delays: options.delays } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  const clients = createAwsClients(localClientOptions(aws.url));
  const tableName = localTableName;
  const clusterName = localDefaults.clusterName;
  await ensureTable(clients.dynamo, tableName);
  await clients.ecs.send(new CreateClusterCommand({ clusterName }));
  const store = createStateStore(clients.documents, tableName, clock);

  const traffic = createTrafficPorts(localClientOptions(aws.url));
  const reconcilerDeps = assembleReconcilerDependencies({
    documents: clients.documents,
    ecs: clients.ecs,
    cloudwatch: clients.cloudwatch,
    tableName,
    cluster: localCluster,
    requeue: new BusRequeue(bus, localQueues.requeue),
    clock,
    logger: logger.createChild({ serviceName: 'corral-reconciler' }) as Logger,
    metrics: metrics.forFunction(logger),
    taskDefinitions: localTaskDefinitions,
    traffic,
  });
  const secrets = createSecretStore(clients.secrets);
  const jobs = new JobStore(clients.documents, tableName, clock);
  const rotationFunctionArn = `arn:aws:lambda:us-east-1:${localAccount}:function:${localFunctions.rotation}`;

  const wakeUps = new WakeUps(new BusWakeUpQueue(bus, localQueues.wakeUps), jobs);

  /** A dispatcher execution environment, as Lambda runs several; each has its own holder identities. */
  const createDispatcher = () => {
    const dispatcherLogger = logger.createChild({ serviceName: 'corral-dispatcher' }) as Logger;
    const dispatcherMetrics = metrics.forFunction(logger);
    const elector = (waitOutObservedLease: boolean) => new LeaderElector({ store: reconcilerDeps.leases, name: 'dispatcher', holder: randomUUID(), waitOutObservedLease });
    const handler = createDispatcherHandler({
      elector: elector(true),
      wakeUpElector: elector(false),
      tasks: singletonTasks({
        reconciler: { ...reconcilerDeps, logger: dispatcherLogger, metrics: dispatcherMetrics }, holder: 'dispatcher', jobs, wakeUps,
        sweepProgress: (lease) => new DynamoSweepProgress(clients.documents, tableName, lease),
      }),
      jobs,
      wakeUps,
      clock,
      sleep: (ms) => bus.sleep(ms),
      logger: dispatcherLogger,
      metrics: dispatcherMetrics,
    });
    return (event: DispatcherEvent) => handler(event, lambdaContext(localFunctions.dispatcher));
  };

  if (options.reconcile !== false) {
    const reconciler = createReconcilerHandler(reconcilerDeps);
    const invokeReconciler = (event: ReconcilerEvent) => reconciler(event, lambdaContext(localFunctions.reconciler));
    bus.addStreamTarget(tableName, invokeReconciler, { filter: isServiceSpecRecord });
    // Task state changes of Corral's tasks reach the reconciler through a queue, in batches, as in the stack.
    bus.subscribe({ source: ['aws.ecs'], 'detail-type': ['ECS Task State Change'] }, (event) => {
      if ((event.detail as { startedBy?: string }).startedBy?.startsWith('corral')) bus.sendMessage(localQueues.taskEvents, JSON.stringify(event));
    });
    bus.addQueueTarget(localQueues.taskEvents, invokeReconciler, { batchSize: taskEventBatching.batchSize, batchingWindowMs: taskEventBatching.maxBatchingWindowMs });
    bus.addQueueTarget(localQueues.requeue, invokeReconciler);

    // The one-minute safety net, on whole minutes (or tickOffsetMs into them, as EventBridge may
    // fire it); precise wake-ups, job task state changes and job spec changes on the table stream
    // reach the first dispatcher, as their own triggers would in AWS.
    const dispatchers = Array.from({ length: options.dispatchers ?? 1 }, createDispatcher);
    dispatchers.forEach((dispatcher, i) => bus.schedule(`${localFunctions.dispatcher}-${i}`, 60_000, dispatcher, { onTheClock: true, offsetMs: options.tickOffsetMs ?? 0 }));
    bus.addQueueTarget(localQueues.wakeUps, dispatchers[0]);
    bus.addStreamTarget(tableName, dispatchers[0], { filter: isJobSpecChange });
    // The bus's queue starts empty, whatever the table remembers: a jobs pass now catches up
    // on ticks due while local mode was down and arms the next wake-up.
    await jobs.forgetWakeUp();
    await wakeUps.catchUp(clock.now());
    bus.subscribe({ source: ['aws.ecs'], 'detail-type': ['ECS Task State Change'] }, (event) =>
      isJobTaskEvent(event) ? dispatchers[0](event as DispatcherEvent) : undefined,
    );
    // One process, so no leader election is needed for this first pass (a killed predecessor may
    // still hold the dispatcher lease for a few seconds).
    if (options.sweepAtStart) void bus.track(sweep({ ...reconcilerDeps, holder: `startup-${randomUUID()}` }, { progress: sweepFromTheStart() }));

    const rotation = createRotationHandler({
      secrets,
      strategy: randomPasswordStrategy,
      consumers: createConsumerRestarter(store),
      logger: logger.createChild({ serviceName: 'corral-rotation' }) as Logger,
      metrics: metrics.forFunction(logger),
    });
    aws.setRotationHandler(rotationFunctionArn, async (event) => {
      await rotation(event, lambdaContext(localFunctions.rotation));
    });
  }

  const apiHandler = createApiHandler({
    store,
    secrets,
    alarms: { states: new CloudWatchAlarmStates(clients.cloudwatch), namePrefix: DEFAULT_ALARM_NAME_PREFIX },
    logger: logger.createChild({ serviceName: 'corral-api' }) as Logger,
    metrics: metrics.forFunction(logger),
    extraRoutes: [...secretRoutes({ secrets, store, rotationFunctionArn }), ...jobRoutes({ jobs, secrets, clock })],
  });
  const api = await startApiServer(apiHandler, { host, port: options.apiPort ?? localDefaults.apiPort, track: (work) => bus.track(work) });

  return {
    apiUrl: api.url, awsUrl: aws.url, clock, bus, aws, clients, store, tableName, clusterName, rotationFunctionArn,
    reconcilerDeps, createDispatcher, jobs, metrics,
    async close() {
      await api.close();
      bus.close();
      await bus.idle();
      await aws.close();
      for (const client of Object.values(clients)) client.destroy();
      traffic.destroy();
    },
  };
}

