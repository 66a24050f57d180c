import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '../clock.js';
import type { Lease } from '../core/lease/index.js';
import type { AlarmStates } from '../aws/alarm-states.js';
import type { ContainerRuntime, ObservedTask as EcsTask } from '../aws/container-runtime.js';
import { ThrottledError } from '../aws/ecs-errors.js';
import type { TrafficPorts } from '../aws/traffic.js';
import { TrafficThrottledError } from '../aws/traffic-errors.js';
import { FencedWriteRejectedError, LeaseHeldError, LeaseLostError } from '../aws/lease-errors.js';
import type { AcquiredLease, LeaseStore, PendingPasses } from '../aws/lease-store.js';
import type { Requeue } from '../aws/requeue.js';
import type { LeaseAfterCommit, ReconcileState, ServiceSpecs } from '../aws/state-store.js';
import type { MetricsRecorder } from '../observability/metrics.js';
import { TerminalError } from './errors.js';
import { reconcile, type HeldLease, type ReconcileResult } from './reconcile.js';
import type { TaskDefinitionSettings } from './task-definitions.js';

export interface ReconcilerDependencies {
  /** The reconciler's port, plus the spec reads the sweep needs. */
  state: ReconcileState & Pick<ServiceSpecs, 'getService' | 'listServices'>;
  leases: LeaseStore & PendingPasses;
  runtime: ContainerRuntime;
  alarms: AlarmStates;
  requeue: Requeue;
  clock: Clock;
  logger: Logger;
  metrics: MetricsRecorder;
  taskDefinitions: TaskDefinitionSettings;
  /** Who this invocation is, for the per-service lease. */
  holder: string;
  /** Target groups and Cloud Map, for services that use them. */
  traffic?: TrafficPorts;
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

export type RunOutcome = 'reconciled' | 'busy' | 'superseded' | 'stalled';

/**
 * The work queue around `reconcile`, and the only place that queues: it takes the service's
 * lease, runs the passes asked for while it held it, and requeues once at the end — for the
 * reconcile's `requeueAfterMs`, after throttling, or for a pass beyond the last. A TerminalError
 * (already recorded in the status by the reconcile) is not retried; a superseded holder stops;
 * anything else is thrown so the trigger retries with backoff.
 */
type Observation = {
  /** The sweep's listing of the service's tasks. */
  snapshot?: EcsTask[];
  /** The tasks the triggering events named. */
  taskArns?: readonly string[];
};

export async function reconcileService(deps: ReconcilerDependencies, name: string, observation: Observation = {}): Promise<{ outcome: RunOutcome; requeueAfterMs?: number }> {
  const startedAt = performance.now();
  try {
    return await runReconcile(deps, name, observation);
  } catch (error) {
    deps.metrics.add('ReconcileErrors', 1, { service: name });
    throw error;
  } finally {
    deps.metrics.add('ReconcileDuration', performance.now() - startedAt, { service: name });
  }
}

async function runReconcile(deps: ReconcilerDependencies, name: string, observation: Observation): Promise<{ outcome: RunOutcome; requeueAfterMs?: number }> {
  const leaseName = `reconcile/${name}`;
  const lease = await takeLease(deps, leaseName);
  if (!lease) return { outcome: 'busy' };
  const held = holdLease(deps, lease);
  let released = false;
  let requeueAfterMs: number | undefined;
  let outcome: RunOutcome = 'reconciled';
  try {
    requeueAfterMs = await held.pass(() => reconcile({ ...deps, lease: held, ...observation }, name));
    for (let pass = 1; ; pass++) {
      // The pass's commit released the lease, or took a pass asked for meanwhile. Otherwise
      // (nothing to write) release here unless asked; not released: another trigger asked for a
      // pass while this one held the lease (unless the lease was lost, which `takePass` tells).
      if (held.after === 'released') {
        released = true;
        break;
      }
      if (held.after === 'held') {
        released = await deps.leases.releaseUnlessPending(held.current());
        if (released || !(await deps.leases.takePass(held.current()))) break;
      }
      if (pass >= reconcilerDefaults.maxPasses) {
        requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, reconcilerDefaults.morePassesDelayMs);
        await deps.leases.release(held.current(), { finished: true });
        released = true;
        break;
      }
      requeueAfterMs = await held.pass(() => reconcile({ ...deps, lease: held }, name));
    }
  } catch (error) {
    if (error instanceof FencedWriteRejectedError || error instanceof LeaseLostError) {
      deps.metrics.add(error instanceof LeaseLostError ? 'LeaseLost' : 'FencedWriteRejected', 1, { service: name });
      return { outcome: 'superseded' };
    }
    if (error instanceof TerminalError) {
      deps.logger.warn('terminal error recorded; not retried until the spec changes', { corralService: name, reason: error.reason, errorMessage: error.message });
      outcome = 'stalled';
    } else if (error instanceof ThrottledError || error instanceof TrafficThrottledError) {
      deps.logger.warn(`throttled by ${error instanceof ThrottledError ? 'ECS' : error.operation}; reconciling again later`, { corralService: name });
      requeueAfterMs = reconcilerDefaults.throttledRetryMs;
      outcome = 'busy';
    } else {
      throw error;
    }
  } finally {
    // Not `finished`: a pass that failed may have started tasks it did not record, so the next
    // holder lists the service's tasks rather than trusting the recorded ones.
    if (!released) await deps.leases.release(held.current()).catch(() => undefined);
  }
  if (requeueAfterMs !== undefined) await deps.requeue.after(name, requeueAfterMs);
  return { outcome, ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}) };
}

/**
 * The service's lease, or undefined when another invocation holds it. Someone else reconciling
 * may have read state before the change that brought us here: ask it for another pass, in the
 * same conditional write that checks it still holds the lease (a refused trigger costs two
 * writes). If it released meanwhile, the lease is free now and this invocation does the pass
 * itself. No requeue otherwise: the holder cannot release while asked, and should
 * it die, the one-minute sweep comes by — a requeue per refused trigger would turn a burst of
 * task events into a storm.
 */
async function takeLease(deps: ReconcilerDependencies, leaseName: string): Promise<AcquiredLease | undefined> {
  const acquire = () => deps.leases.acquire(leaseName, deps.holder, deps.clock.now(), { leaseDurationMs: reconcilerDefaults.leaseDurationMs });
  try {
    return await acquire();
  } catch (error) {
    if (!(error instanceof LeaseHeldError)) throw error;
  }
  // Held: the holder takes the ask before it can release. Not held any more: take it ourselves.
  if (await deps.leases.requestPassWhileHeld(leaseName, deps.clock.now())) return undefined;
  try {
    return await acquire();
  } catch (error) {
    if (!(error instanceof LeaseHeldError)) throw error;
  }
  // A third invocation took it in between, after this trigger's change: it reads that change.
  return undefined;
}

/** The runner's side of the lease a pass runs under. */
interface RunnerLease extends HeldLease {
  /** Runs one pass and answers its requeue delay; `after` then says how its commit left the lease. */
  pass(reconcileOnce: () => Promise<ReconcileResult>): Promise<number | undefined>;
  readonly after: LeaseAfterCommit | 'held';
}

/** Acting can take a while (many stops, throttled retries): renew once a third of the lease has passed. */
function holdLease(deps: ReconcilerDependencies, acquired: AcquiredLease): RunnerLease {
  let lease: Lease = acquired;
  let renewedAt = deps.clock.now();
  let previousPassFinished = acquired.predecessorFinished;
  let after: LeaseAfterCommit | 'held' = 'held';
  return {
    current: () => lease,
    async keep() {
      if (deps.clock.now() - renewedAt < reconcilerDefaults.leaseDurationMs / 3) return;
      lease = await deps.leases.renew(lease, deps.clock.now());
      renewedAt = deps.clock.now();
    },
    get previousPassFinished() {
      return previousPassFinished;
    },
    committed(how) {
      after = how;
    },
    get after() {
      return after;
    },
    async pass(reconcileOnce) {
      after = 'held';
      const { requeueAfterMs } = await reconcileOnce();
      // A pass that returned has recorded every task it started (or had nothing to record).
      previousPassFinished = true;
      return requeueAfterMs;
    },
  };
}
