import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoSweepProgress } from '../../lib/aws/sweep-progress.js';
import { JobStore } from '../../lib/aws/job-store.js';
import { LeaderElector } from '../../lib/aws/leader-election.js';
import { createDispatcherHandler, type DispatcherEvent } from '../../lib/dispatcher/handler.js';
import { singletonTasks } from '../../lib/dispatcher/singleton-tasks.js';
import { WakeUps } from '../../lib/dispatcher/wake-ups.js';
import { BusWakeUpQueue } from '../../lib/local/bus-wake-up-queue.js';
import { lambdaContext } from '../../lib/local/lambda-context.js';
import type { LocalRuntime } from '../../lib/local/runtime.js';
import { killableReconciler } from './killable-reconciler.js';

/**
 * A dispatcher execution environment whose AWS calls (DynamoDB, ECS) fail from the
 * `killAfter`+1st on, as if the Lambda died there: it keeps the lease it took, and whatever it
 * recorded or started stays half done for the next leader to finish.
 */
export function killableDispatcher(runtime: LocalRuntime, killAfter: number): {
  handler: (event: DispatcherEvent) => Promise<{ led: boolean }>;
  close: () => void;
} {
  const killed = killableReconciler(runtime, killAfter, `killable-${randomUUID()}`);
  const logger = new Logger({ serviceName: 'corral-dispatcher', logLevel: 'SILENT' });
  const jobs = new JobStore(killed.clients.documents, runtime.tableName, runtime.clock);
  const wakeUps = new WakeUps(new BusWakeUpQueue(runtime.bus, 'corral-dispatcher-wake-ups'), jobs);
  const elector = (waitOutObservedLease: boolean) => new LeaderElector({ store: killed.deps.leases, name: 'dispatcher', holder: randomUUID(), waitOutObservedLease });
  const handler = createDispatcherHandler({
    elector: elector(true),
    wakeUpElector: elector(false),
    tasks: singletonTasks({
      reconciler: { ...killed.deps, logger }, holder: 'dispatcher', jobs, wakeUps,
      sweepProgress: (lease) => new DynamoSweepProgress(killed.clients.documents, runtime.tableName, lease),
    }),
    jobs,
    wakeUps,
    clock: runtime.clock,
    sleep: (ms) => runtime.bus.sleep(ms),
    logger,
    metrics: runtime.reconcilerDeps.metrics,
  });
  return { handler: (event) => handler(event, lambdaContext('corral-dispatcher')), close: killed.close };
}
