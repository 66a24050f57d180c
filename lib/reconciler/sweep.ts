import type { ObservedTask as EcsTask } from '../aws/container-runtime.js';
import { STOP_REASON_PREFIX } from '../core/planner/index.js';
import { serviceOfStartedBy, serviceStartedBy } from '../core/task-definition.js';
import { reconcileLogger } from '../observability/reconcile-logger.js';
import { needsReconcile } from './reconcile.js';
import { reconcileService, type ReconcilerDependencies } from './runner.js';

export interface SweepResult {
  services: number;
  /** Services whose plan changed something, reconciled under their lease. */
  reconciled: number;
  tasks: number;
  orphansStopped: string[];
  failed: { service: string; error: Error }[];
}

export const sweepDefaults = {
  /** Services reconciled at once during a sweep. */
  concurrency: 8,
} as const;

/**
 * The full sweep, run by the leader once a minute: list the whole cluster once (ListTasks and
 * DescribeTasks at 100 a call, never per service; stopped tasks the runtime has described before
 * are remembered, not described again), read every service's spec and status in batches (one
 * Query of the kind index, BatchGetItem of 100 status items a call), plan every service from
 * those, and stop orphans — tasks Corral started for a service that no longer exists. Only a
 * service whose plan changes something is reconciled, under its lease, from a fresh read: a
 * converged fleet costs no lease and no write. The cluster is observed before services are
 * listed, so a service created during the sweep cannot have its fresh tasks mistaken for orphans.
 */
export async function sweep(deps: ReconcilerDependencies): Promise<SweepResult> {
  const groups = await deps.runtime.observeCluster();
  const services = await deps.state.listServices();
  const known = new Set(services.map((s) => s.name));

  const orphansStopped: string[] = [];
  for (const [startedBy, tasks] of groups) {
    const owner = serviceOfStartedBy(startedBy);
    if (owner === undefined || known.has(owner)) continue;
    const live = tasks.filter(isLive);
    // The listing comes from an eventually consistent index: confirm with a consistent read
    // that the owner is really gone before stopping what may be a brand-new service's tasks.
    if (live.length === 0 || (await deps.state.getService(owner))) continue;
    for (const task of live) {
      await deps.runtime.stopTask(task.taskArn, `${STOP_REASON_PREFIX}orphaned: service ${owner} no longer exists`);
      orphansStopped.push(task.taskArn);
    }
  }
  if (orphansStopped.length > 0) deps.logger.info('stopped orphaned tasks', { count: orphansStopped.length });

  const statuses = await deps.state.readStatuses(services.map((s) => s.name));
  const failed: SweepResult['failed'] = [];
  let reconciled = 0;
  let next = 0;
  const worker = async () => {
    while (next < services.length) {
      const service = services[next++];
      const observed: EcsTask[] = groups.get(serviceStartedBy(service.name)) ?? [];
      try {
        const verdict = await needsReconcile(deps, service, statuses.get(service.name), observed);
        if (verdict.reconcile) {
          reconciled++;
          await reconcileService({ ...deps, logger: reconcileLogger(deps.logger, service.name, 'sweep') }, service.name, { snapshot: observed });
        } else if (verdict.requeueAfterMs !== undefined) {
          await deps.requeue.after(service.name, verdict.requeueAfterMs);
        }
      } catch (error) {
        failed.push({ service: service.name, error: error as Error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(sweepDefaults.concurrency, services.length) }, worker));
  let tasks = 0;
  for (const list of groups.values()) tasks += list.length;
  return { services: services.length, reconciled, tasks, orphansStopped, failed };
}

function isLive(task: EcsTask): boolean {
  return task.lastStatus !== 'STOPPED' && task.desiredStatus !== 'STOPPED';
}
