import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '../clock.js';
import { plan, recordLaunchFailure, type Plan, type PlanEvent, type ServiceStatus } from '../core/planner/index.js';
import type { Lease } from '../core/lease/index.js';
import type { ContainerRuntime, ObservedTask as EcsTask } from '../aws/container-runtime.js';
import { ThrottledError } from '../aws/ecs-errors.js';
import { FencedWriteRejectedError, LeaseHeldError, LeaseLostError } from '../aws/lease-errors.js';
import type { LeaseStore } from '../aws/lease-store.js';
import type { PendingPasses } from '../aws/pending-passes.js';
import type { Requeue } from '../aws/requeue.js';
import type { ServiceEvent, StateStore } from '../aws/state-store.js';
import { serviceStartedBy } from '../core/task-definition.js';
import { desiredOf, observedTasksOf } from './planner-input.js';
import { launchPlannedTasks, type LaunchOutcome } from './launch.js';
import { TaskDefinitions, type TaskDefinitionSettings } from './task-definitions.js';

export interface ReconcilerDependencies {
  store: StateStore;
  leases: LeaseStore;
  passes: PendingPasses;
  runtime: ContainerRuntime;
  requeue: Requeue;
  clock: Clock;
  logger: Logger;
  taskDefinitions: TaskDefinitionSettings;
  /** Who this invocation is, for the per-service lease. */
  holder: string;
}

export const reconcilerDefaults = {
  /** Long enough for one reconcile of a large service, short enough that a crash unblocks soon. */
  leaseDurationMs: 60_000,
  /** Passes one lease holds at most; a pass still asked for after them goes to a requeue. */
  maxPasses: 5,
  /** How soon that requeued pass comes. */
  morePassesDelayMs: 1_000,
  /** After throttling, look again this much later. */
  throttledRetryMs: 5_000,
} as const;

export type ReconcileResult =
  | { outcome: 'reconciled'; plan: Plan }
  | { outcome: 'absent' }
  | { outcome: 'busy' }
  | { outcome: 'superseded' };

/**
 * One level-triggered reconcile of one service: take the service's lease, re-read desired and
 * observed state, plan, write status under the lease's fence, then act. The status write comes
 * first so that a reconciler whose lease was taken over is refused before it starts or stops
 * anything; RunTask's client token (derived from the observation) makes a stale launch that
 * slips through return the successor's tasks rather than new ones.
 */
export async function reconcileService(
  deps: ReconcilerDependencies,
  name: string,
  preObserved?: EcsTask[],
): Promise<ReconcileResult> {
  const leaseName = `reconcile/${name}`;
  const acquire = () => deps.leases.acquire(leaseName, deps.holder, deps.clock.now(), { leaseDurationMs: reconcilerDefaults.leaseDurationMs });
  let lease: Lease;
  try {
    lease = await acquire();
  } catch (error) {
    if (!(error instanceof LeaseHeldError)) throw error;
    // Someone else is reconciling it and may have read state before the change that brought us
    // here: ask it for another pass. If it released meanwhile (and so may have missed the ask),
    // the lease is free now and this invocation does the pass itself. No requeue otherwise: the
    // holder cannot release while asked, and should it die, the one-minute sweep comes by —
    // a requeue per refused trigger would turn a burst of task events into a storm.
    await deps.passes.request(leaseName);
    try {
      lease = await acquire();
      // The lease was free after all: this pass reads everything afresh, so its own ask is moot.
      await deps.passes.take(lease);
    } catch (retryError) {
      if (!(retryError instanceof LeaseHeldError)) throw retryError;
      return { outcome: 'busy' };
    }
  }
  let released = false;
  try {
    let result = await reconcileUnderLease(deps, name, lease, preObserved);
    for (let pass = 1; ; pass++) {
      released = await deps.passes.releaseUnlessPending(lease);
      // Not released: another trigger asked for a pass while this one held the lease (unless
      // the lease was lost, which `take` tells).
      if (released || !(await deps.passes.take(lease))) break;
      if (pass >= reconcilerDefaults.maxPasses) {
        await deps.requeue.after(name, reconcilerDefaults.morePassesDelayMs);
        break;
      }
      result = await reconcileUnderLease(deps, name, lease, undefined);
    }
    return result;
  } catch (error) {
    if (error instanceof FencedWriteRejectedError || error instanceof LeaseLostError) return { outcome: 'superseded' };
    if (error instanceof ThrottledError) {
      deps.logger.warn('throttled by ECS; reconciling again later', { corralService: name });
      await deps.requeue.after(name, reconcilerDefaults.throttledRetryMs);
      return { outcome: 'busy' };
    }
    throw error;
  } finally {
    if (!released) await deps.leases.release(lease).catch(() => undefined);
  }
}

async function reconcileUnderLease(
  deps: ReconcilerDependencies,
  name: string,
  heldLease: Lease,
  preObserved: EcsTask[] | undefined,
): Promise<ReconcileResult> {
  let lease = heldLease;
  const record = await deps.store.getService(name);
  if (!record) return { outcome: 'absent' };
  const previous = (await deps.store.getStatus(name))?.status;
  const revisions = await deps.store.listRevisions(name);
  const taskDefinitions = new TaskDefinitions(deps, name, revisions);
  await taskDefinitions.ensureRecorded(record);

  // Acting can take a while (many stops, throttled retries): renew the lease before each step
  // once a third of it has passed, and stop at once if it was lost.
  let renewedAt = deps.clock.now();
  const keepLease = async () => {
    if (deps.clock.now() - renewedAt < reconcilerDefaults.leaseDurationMs / 3) return;
    lease = await deps.leases.renew(lease, deps.clock.now());
    renewedAt = deps.clock.now();
  };
  const desired = desiredOf(record, revisions);
  const planFrom = (tasks: EcsTask[]) =>
    plan(desired, { tasks: observedTasksOf(tasks, previous), ...(previous ? { status: previous } : {}) }, deps.clock.now());
  let ecsTasks = preObserved ?? (await deps.runtime.observe(serviceStartedBy(name)));
  let decided = planFrom(ecsTasks);
  const changes = (p: Plan) => p.start.length > 0 || p.stop.length > 0 || p.removeService === true || p.status !== previous;
  if (preObserved && changes(decided)) {
    // The sweep's cluster snapshot may be seconds old: act only on a fresh look at this service.
    ecsTasks = await deps.runtime.observe(serviceStartedBy(name));
    decided = planFrom(ecsTasks);
  }
  const now = deps.clock.now();

  if (changes(decided)) await deps.store.putStatus(name, decided.status, lease);
  const events: Omit<ServiceEvent, 'time'>[] = decided.events.map((event) => toServiceEvent(event, decided.status));

  for (const stop of decided.stop) {
    await keepLease();
    await deps.runtime.stopTask(stop.taskArn, stop.reason);
  }
  let status: ServiceStatus = decided.status;
  let requeueAfterMs = decided.requeueAfterMs;
  if (decided.start.length > 0) {
    await keepLease();
    const outcome = await launchPlannedTasks(deps, {
      record, starts: decided.start, fleet: ecsTasks.map((t) => t.taskArn), attempt: previous?.backoff?.failures ?? 0, taskDefinitions,
    });
    events.push(...outcome.events);
    if (outcome.failed) {
      status = recordLaunchFailure(status, deps.clock.now());
      await deps.store.putStatus(name, { ...status, message: launchFailureMessage(outcome) }, lease);
      const backoffEndsIn = (status.backoff?.until ?? now) - deps.clock.now();
      requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, Math.max(backoffEndsIn, 1_000));
    }
  }
  await deps.store.appendEvents(name, events);

  if (decided.removeService) {
    await deps.store.removeService(name);
    return { outcome: 'reconciled', plan: decided };
  }
  if (revisions.length > record.spec.revisionHistoryLimit) {
    // Keep what is still in use: the wanted and stable revisions and any revision still running.
    const running = ecsTasks.filter((t) => t.lastStatus !== 'STOPPED' && t.revision !== undefined).map((t) => t.revision!);
    const inUse = [record.revision, ...(status.stableRevision ? [status.stableRevision] : []), ...running];
    await deps.store.pruneRevisions(name, record.spec.revisionHistoryLimit, inUse);
  }
  if (requeueAfterMs !== undefined && Number.isFinite(requeueAfterMs)) {
    await deps.requeue.after(name, requeueAfterMs);
  }
  return { outcome: 'reconciled', plan: decided };
}

function toServiceEvent(event: PlanEvent, status: ServiceStatus): Omit<ServiceEvent, 'time'> {
  return { type: event.type, message: event.message, ...(event.taskArn ? { taskArn: event.taskArn } : {}), revision: status.revision };
}

function launchFailureMessage(outcome: LaunchOutcome): string {
  return `Could not start tasks: ${outcome.failureSummary}; backing off`;
}
