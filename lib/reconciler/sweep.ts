import type { ObservedTask as EcsTask } from '../aws/container-runtime.js';
import type { SweepProgress } from '../aws/sweep-progress.js';
import { STOP_REASON_PREFIX } from '../core/planner/index.js';
import { serviceOfStartedBy } from '../core/task-definition.js';
import { reconcileLogger } from '../observability/reconcile-logger.js';
import { continueListing } from './cluster-listing.js';
import { observeServices } from './known-observation.js';
import { needsReconcile } from './reconcile.js';
import { reconcileService, type ReconcilerDependencies } from './runner.js';
import { SweepBudget, type SweepBudgetOptions } from './sweep-budget.js';

export interface SweepResult {
  services: number;
  /** Services planned this sweep; the rest were deferred to the next one. */
  planned: number;
  deferred: number;
  /** Services whose plan changed something, reconciled under their lease. */
  reconciled: number;
  /** Tasks observed for the planned services. */
  tasks: number;
  /** ECS task reads (ListTasks, DescribeTasks) the sweep itself made. */
  ecsReads: number;
  /** Whether the cluster listing finished a whole pass in this sweep. */
  listingDone: boolean;
  /** ECS throttled one of the sweep's reads, and the sweep backed off. */
  throttled: boolean;
  orphansStopped: string[];
  failed: { service: string; error: Error }[];
}

export interface SweepOptions extends SweepBudgetOptions {
  /** Services reconciled at once. */
  concurrency: number;
  /** The share of the budget kept for the cluster listing while the describes would take it all. */
  listingShare: number;
}

/** Who runs this sweep: where it keeps its position, and (the dispatcher's leader) how it keeps its lease. */
export interface SweepContext {
  progress: SweepProgress;
  /** Called before each ECS read; throws (LeaseLostError) once the sweep may no longer run. */
  keepLeading?: () => Promise<void>;
}

export const sweepDefaults: SweepOptions = {
  concurrency: 8,
  // 80% of ECS's sustained task read rate and half its burst, so event-driven reconciles keep
  // 4 reads a second and half the burst while a large fleet is swept (sweep-budget.ts).
  pace: { capacity: 50, refillPerSecond: 16 },
  // The dispatcher runs the jobs pass first and has 60 s in all.
  deadlineMs: 45_000,
  listingShare: 0.1,
};

/**
 * The sweep, run by the leader once a minute: the safety net under the event-driven reconciles.
 * It reads every spec (one Query of the kind index) and status (BatchGetItem, 100 a call), then
 * within a paced budget of ECS task reads (sweep-budget.ts):
 * 1. observes each service from the task ARNs its status knows, ten 10-task services a
 *    DescribeTasks call (known-observation.ts), starting where the last sweep stopped;
 * 2. goes on with the cluster listing with what is left (at least `listingShare`), describing
 *    only tasks nobody knew: orphans of deleted services are stopped, a service's unrecorded
 *    tasks make it reconcile (cluster-listing.ts);
 * 3. plans every observed service from its status's planning digest and reconciles, under its
 *    lease and from a fresh read, only those whose plan changes something.
 * A converged fleet costs no lease and no write. What the budget does not reach — or what ECS
 * throttles: the sweep backs off instead of failing — waits for the next sweep, which begins
 * there (`progress`, one item written only when the position moves).
 *
 * Worked example at 10,000 services of 10 tasks: 100,000 known ARNs are 1,000 DescribeTasks;
 * the default budget of 770 reads gives 693 to them (6,930 services) and 77 to the listing, so
 * the next sweep plans the other 3,070 services and then starts the fleet again: every service
 * is planned at least every two minutes, and the listing of 1,000+ pages passes every ~13.
 */
export async function sweep(deps: ReconcilerDependencies, context: SweepContext, options: SweepOptions = sweepDefaults): Promise<SweepResult> {
  const { progress } = context;
  const budget = new SweepBudget(deps.clock, options, context.keepLeading);
  const position = await progress.load();
  const services = (await deps.state.listServices()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const byName = new Map(services.map((s) => [s.name, s]));
  const statuses = await deps.state.readStatuses(services.map((s) => s.name));

  const start = position.nextService === undefined ? 0 : Math.max(0, services.findIndex((s) => s.name >= position.nextService!));
  const ordered = [...services.slice(start), ...services.slice(0, start)].map((s) => s.name);
  const reserve = Math.ceil(budget.maxCalls * options.listingShare);
  const { observed, deferred } = await observeServices(deps.runtime, budget, ordered, statuses, reserve);

  const known = new Set<string>();
  for (const stored of statuses.values()) for (const arn of Object.keys(stored.knownTasks ?? {})) known.add(arn);
  for (const tasks of observed.values()) for (const task of tasks) known.add(task.taskArn);
  const listing = await continueListing(deps.runtime, (calls) => budget.take(calls), position.listing, (arn) => known.has(arn));
  if (listing.throttled) budget.stop();
  if (budget.stopped) deps.logger.warn('ECS throttled the sweep; the next one goes on from where it stopped', { deferred: deferred.length });

  const orphansStopped: string[] = [];
  const unrecorded = new Map<string, string[]>();
  for (const [startedBy, tasks] of listing.strangers) {
    const owner = serviceOfStartedBy(startedBy);
    if (owner === undefined) continue;
    if (byName.has(owner)) {
      unrecorded.set(owner, tasks.map((t) => t.taskArn));
      continue;
    }
    const live = tasks.filter(isLive);
    // The services were read before the listing, and the kind index is eventually consistent:
    // confirm with a consistent read that the owner is really gone before stopping what may be
    // a brand-new service's tasks.
    if (live.length === 0 || (await deps.state.getService(owner))) continue;
    for (const task of live) {
      await deps.runtime.stopTask(task.taskArn, `${STOP_REASON_PREFIX}orphaned: service ${owner} no longer exists`);
      orphansStopped.push(task.taskArn);
    }
  }
  if (orphansStopped.length > 0) deps.logger.info('stopped orphaned tasks', { count: orphansStopped.length });

  const failed: SweepResult['failed'] = [];
  const planned = ordered.filter((name) => observed.has(name) || unrecorded.has(name));
  let reconciled = 0;
  let next = 0;
  const worker = async () => {
    while (next < planned.length) {
      const name = planned[next++];
      const service = byName.get(name)!;
      const tasks: EcsTask[] = observed.get(name) ?? [];
      const logger = reconcileLogger(deps.logger, name, 'sweep');
      try {
        const strangers = unrecorded.get(name);
        if (strangers) {
          // Tasks its status never recorded: reconcile from the known ARNs and these.
          reconciled++;
          await reconcileService({ ...deps, logger }, name, { taskArns: strangers });
          continue;
        }
        const verdict = await needsReconcile(deps, service, statuses.get(name), tasks);
        if (verdict.reconcile) {
          reconciled++;
          await reconcileService({ ...deps, logger }, name, { snapshot: tasks });
        } else if (verdict.requeueAfterMs !== undefined) {
          await deps.requeue.after(name, verdict.requeueAfterMs);
        }
      } catch (error) {
        failed.push({ service: name, error: error as Error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, planned.length) }, worker));

  await progress.save({
    ...(deferred.length > 0 ? { nextService: deferred[0] } : {}),
    ...(listing.position ? { listing: listing.position } : {}),
  });
  let tasks = 0;
  for (const list of observed.values()) tasks += list.length;
  return {
    services: services.length, planned: planned.length, deferred: deferred.length, reconciled, tasks,
    ecsReads: budget.calls, listingDone: listing.position === undefined, throttled: budget.stopped || listing.throttled === true, orphansStopped, failed,
  };
}

function isLive(task: EcsTask): boolean {
  return task.lastStatus !== 'STOPPED' && task.desiredStatus !== 'STOPPED';
}
