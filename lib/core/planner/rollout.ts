import type { AlarmReading } from './alarm-gate.js';
import type { FleetView } from './fleet-view.js';
import { gateOnAlarms, type Promotion, takePromotion } from './rollout-gates.js';
import type { Desired, PlanEvent, RolloutRecord, ServiceStatus } from './types.js';

/** Why a forward rollout failed, as a condition reason. */
export type FailureKind = NonNullable<RolloutRecord['failureKind']>;

/** Which revision the fleet converges on, and the rollout's bookkeeping, at one reconcile. */
export interface RolloutDecision {
  /** The revision to converge on: the user's, or the stable one while rolled back. */
  target: number;
  stableRevision?: number;
  record?: RolloutRecord;
  /** The user's revision failed and the fleet goes (or went) back to the stable one. */
  rollingBack: boolean;
  /** The user's revision failed without a way back: start and stop nothing. */
  frozen: boolean;
  /** The user's failed revision, if any, and why. */
  failure?: { revision: number; reason: string; kind: FailureKind };
  /** The fleet is fully available on `target` (all replicas available, nothing else left). */
  fullyAvailable: boolean;
  /** Deadline and circuit breaker apply: moving from a stable revision to another one. */
  guarded: boolean;
  /** A user's promotion not yet used (by an alarm hold): for the canary's steps. */
  promotion?: Promotion;
  events: PlanEvent[];
}

/**
 * Everything here derives from the observed fleet and the previous status; there is no step
 * counter. A rollout is needed while the fleet is not fully available on the target. Only a
 * rollout away from a known-good (stable) revision has a deadline and a circuit breaker: a
 * first deployment has nothing to protect or return to, so crash-loop backoff alone governs it,
 * and a rollback returns to what worked and is not itself rolled back.
 */
export function decideRollout(
  desired: Desired,
  fleet: FleetView,
  previous: ServiceStatus | undefined,
  now: number,
  alarms?: AlarmReading,
): RolloutDecision {
  const spec = desired.spec;
  const replicas = Math.max(0, Math.floor(spec.replicas));
  const events: PlanEvent[] = [];
  const previousRecord = previous?.rollout;
  let stable = desired.stableRevision ?? previous?.stableRevision;
  let failure =
    previousRecord?.failedRevision === desired.revision
      ? {
          revision: desired.revision,
          reason: previousRecord.failureReason ?? 'it failed',
          kind: previousRecord.failureKind ?? 'CircuitBreakerTripped',
        }
      : undefined;

  let choice = chooseTarget(desired, stable, failure);
  let fullyAvailable = isFullyAvailable(fleet, choice.target, replicas);
  // Zero replicas prove nothing: a revision rolled out at replicas 0 does not become stable (once
  // there is a stable one), so scaling it up later is a guarded rollout with a deadline and a
  // circuit breaker, not a crash loop with nothing to return to.
  if (fullyAvailable && (replicas > 0 || stable === undefined)) {
    stable = choice.target;
    // A stopped rollout whose tasks made it after all is simply done.
    if (choice.target === desired.revision) failure = undefined;
    choice = chooseTarget(desired, stable, failure);
  }

  const others = fleet.notStopped - (fleet.byRevision.get(choice.target)?.notStopped ?? 0);
  const needed = !fullyAvailable && (stable === undefined || choice.target !== stable || others > 0);
  const continuing = previousRecord !== undefined && previousRecord.revision === choice.target;
  let record: RolloutRecord | undefined;
  if (continuing && (needed || failure)) {
    record = { ...previousRecord };
  } else if (needed || failure) {
    // The store resets the promotion counter with every new revision, so every promote counts.
    record = { revision: choice.target, startedAt: now, lastProgressAt: now, failures: 0 };
    if (needed) events.push({ type: 'RolloutStarted', message: startedMessage(desired, choice.target, stable, failure, fleet) });
  } else if (continuing && fullyAvailable && !previousRecord.failedRevision) {
    const first = previous?.stableRevision === undefined;
    events.push({
      type: first ? 'Available' : 'RolloutCompleted',
      message: first
        ? `Revision ${choice.target} available: ${replicas} of ${replicas} tasks`
        : `Rollout of revision ${choice.target} complete: ${replicas} of ${replicas} tasks available`,
    });
  }

  const guarded = stable !== undefined && choice.target !== stable && !failure;
  // Alarms and promotions apply to a forward rollout only; a rollback is never held.
  let promotion: Promotion | undefined;
  let gate: ReturnType<typeof gateOnAlarms> = { events: [] };
  if (guarded && record) {
    promotion = takePromotion(record, desired);
    gate = gateOnAlarms({ record, spec, alarms, promotion, name: desired.name });
    promotion = gate.promotion;
    events.push(...gate.events);
    if (gate.held) record.held = gate.held;
    else delete record.held;
  } else if (record) {
    delete record.held;
  }
  // A hold, a canary's pause step and a user's pause all stop the deadline clock.
  const holding = desired.paused || gate.held !== undefined || record?.waiting !== undefined;
  if (record) {
    applyPause(record, holding, now);
    if (!holding) noteProgress(record, fleet);
  }

  if (guarded && record) {
    for (const f of fleet.failures) if (f.view.task.revision === choice.target && !f.wasAvailable) record.failures++;
    const tripped: { reason: string; kind: FailureKind } | undefined = desired.aborted
      ? { reason: 'aborted by the user', kind: 'Aborted' }
      : (gate.tripped ?? (holding ? undefined : tripReason(record, spec.failureThreshold, spec.progressDeadlineSeconds, now)));
    if (tripped) {
      failure = { revision: desired.revision, ...tripped };
      choice = chooseTarget(desired, stable, failure);
      promotion = undefined;
      delete record.held;
      events.push({
        type: tripped.kind === 'Aborted' ? 'RolloutAborted' : 'RolloutFailed',
        message:
          `Rollout of revision ${desired.revision} ${tripped.kind === 'Aborted' ? 'aborted by the user' : `failed: ${tripped.reason}`}; ` +
          (choice.rollingBack ? `rolling back to revision ${stable}` : 'stopping where it is (autoRollback is off)'),
      });
      record = choice.rollingBack
        ? { revision: choice.target, startedAt: now, lastProgressAt: now, failures: 0 }
        : record;
      fullyAvailable = isFullyAvailable(fleet, choice.target, replicas);
    }
  }
  if (record && failure) {
    record.failedRevision = failure.revision;
    record.failureReason = failure.reason;
    record.failureKind = failure.kind;
    record.failedGeneration = previousRecord?.failedRevision === failure.revision ? (previousRecord.failedGeneration ?? desired.generation) : desired.generation;
  } else if (record) {
    delete record.failedRevision;
    delete record.failureReason;
    delete record.failureKind;
    delete record.failedGeneration;
  }

  return {
    target: choice.target,
    stableRevision: stable,
    record,
    rollingBack: choice.rollingBack,
    frozen: choice.frozen,
    failure,
    fullyAvailable,
    guarded: guarded && !failure,
    ...(promotion && !failure ? { promotion } : {}),
    events,
  };
}

/** After a failure, back to the stable revision if autoRollback allows it; an abort always goes back. */
function chooseTarget(
  desired: Desired,
  stable: number | undefined,
  failure: { kind: FailureKind } | undefined,
): { target: number; rollingBack: boolean; frozen: boolean } {
  if (!failure) return { target: desired.revision, rollingBack: false, frozen: false };
  if ((desired.spec.autoRollback || failure.kind === 'Aborted') && stable !== undefined && stable !== desired.revision) {
    return { target: stable, rollingBack: true, frozen: false };
  }
  return { target: desired.revision, rollingBack: false, frozen: true };
}

/** All replicas live and available on `revision`, and no task of another revision not yet STOPPED. */
export function isFullyAvailable(fleet: FleetView, revision: number, replicas: number): boolean {
  const tally = fleet.byRevision.get(revision);
  const live = tally?.live ?? 0;
  const available = tally?.available ?? 0;
  const others = fleet.notStopped - (tally?.notStopped ?? 0);
  return live === replicas && available === replicas && others === 0;
}

/**
 * The deadline clock stops while paused: on resume, `lastProgressAt` moves forward by the pause.
 * Example: last progress at t=100 s, paused t=200..500 s, deadline 600 s → the rollout fails at
 * t=1000 s, not at t=700 s.
 */
export function applyPause(record: RolloutRecord, paused: boolean, now: number): void {
  if (paused && record.pausedAt === undefined) record.pausedAt = now;
  if (!paused && record.pausedAt !== undefined) {
    const pause = Math.max(0, now - record.pausedAt);
    record.lastProgressAt += pause;
    record.pausedMs = (record.pausedMs ?? 0) + pause;
    delete record.pausedAt;
  }
}

/** Every task of the rollout's revision that became available moves the deadline to that moment. */
function noteProgress(record: RolloutRecord, fleet: FleetView): void {
  for (const view of fleet.views) {
    if (view.available && view.task.revision === record.revision && view.availableAt! > record.lastProgressAt) {
      record.lastProgressAt = view.availableAt!;
    }
  }
}

function tripReason(
  record: RolloutRecord,
  threshold: number,
  deadlineSeconds: number,
  now: number,
): { reason: string; kind: FailureKind } | undefined {
  if (record.failures > 0 && record.failures >= threshold) {
    return {
      reason: `${record.failures} ${record.failures === 1 ? 'task' : 'tasks'} failed before becoming available (threshold ${threshold})`,
      kind: 'CircuitBreakerTripped',
    };
  }
  if (now >= record.lastProgressAt + deadlineSeconds * 1000) {
    return {
      reason: `no new task became available within ${deadlineSeconds} s (progressDeadlineSeconds)`,
      kind: 'ProgressDeadlineExceeded',
    };
  }
  return undefined;
}

function startedMessage(
  desired: Desired,
  target: number,
  stable: number | undefined,
  failure: { revision: number; reason: string } | undefined,
  fleet: FleetView,
): string {
  const spec = desired.spec;
  if (failure && target !== failure.revision) {
    return `Rolling back to revision ${target}: revision ${failure.revision} failed (${failure.reason})`;
  }
  const others = fleet.notStopped - (fleet.byRevision.get(target)?.notStopped ?? 0);
  if (stable === undefined && others === 0) {
    return `Deploying revision ${target}: ${spec.replicas} ${spec.replicas === 1 ? 'task' : 'tasks'}`;
  }
  const bounds = `maxSurge ${spec.maxSurge}, maxUnavailable ${spec.maxUnavailable}`;
  const how =
    spec.strategy === 'Recreate'
      ? 'Recreate'
      : spec.strategy === 'Canary' && stable !== undefined
        ? `Canary, ${spec.steps?.length ?? 0} ${spec.steps?.length === 1 ? 'step' : 'steps'}, ${bounds}`
        : `RollingUpdate, ${bounds}`;
  const from = stable !== undefined && stable !== target ? `, replacing revision ${stable}` : '';
  return `Rollout of revision ${target} started (${how})${from}`;
}
