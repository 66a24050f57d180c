import { backoffDelayMs, isBackingOff } from './backoff.js';
import { describeStop, type FleetView } from './fleet-view.js';
import { rolloutBounds } from './rollout-bounds.js';
import type { RolloutDecision } from './rollout.js';
import type {
  BackoffRecord,
  Desired,
  ServiceCondition,
  ServiceCounts,
  ServicePhase,
  ServiceStatus,
} from './types.js';

export interface StatusInput {
  desired: Desired;
  fleet: FleetView;
  rollout: RolloutDecision;
  backoff: BackoffRecord | undefined;
  previous: ServiceStatus | undefined;
  now: number;
}

/**
 * The status to write. Built only from the observation and the decision, never from the clock
 * except at transitions, so a converged fleet reconciled again yields an identical status and
 * the shell can skip the write.
 */
export function buildStatus(input: StatusInput): ServiceStatus {
  const { desired, fleet, rollout, backoff, previous, now } = input;
  const replicas = Math.max(0, Math.floor(desired.spec.replicas));
  const target = rollout.target;
  const tally = fleet.byRevision.get(target);
  const counts: ServiceCounts = {
    desired: replicas,
    running: fleet.running,
    healthy: fleet.healthy,
    updated: tally?.live ?? 0,
    available: fleet.available,
  };
  const phase = phaseOf(input, counts);
  const { minAvailable } = rolloutBounds(replicas, desired.spec.strategy, desired.spec.maxSurge, desired.spec.maxUnavailable);
  const status: ServiceStatus = {
    phase,
    observedGeneration: desired.generation,
    revision: target,
    targetRevision: desired.revision,
    counts,
    message: messageOf(phase, input, counts),
    conditions: [
      condition(previous, now, 'Available', counts.available >= minAvailable, counts.available >= minAvailable ? 'MinimumTasksAvailable' : 'MinimumTasksUnavailable',
        `${counts.available} of ${replicas} tasks available (minimum ${minAvailable})`),
      progressing(input, phase),
    ],
    healthySince: fleet.healthySince,
    failedTasks: fleet.failedTasks,
  };
  const image = desired.revisionSpecs?.[target]?.image;
  if (image !== undefined) status.image = image;
  if (rollout.stableRevision !== undefined) status.stableRevision = rollout.stableRevision;
  if (rollout.record) status.rollout = rollout.record;
  if (backoff) status.backoff = backoff;
  return status;
}

function phaseOf(input: StatusInput, counts: ServiceCounts): ServicePhase {
  const { desired, rollout, backoff, fleet } = input;
  if (desired.deleting) return 'Terminating';
  if (desired.paused) return 'Paused';
  if (rollout.record?.waiting?.kind === 'untilPromoted') return 'Paused';
  if (rollout.failure) {
    // After an automatic rollback, a later change of the spec (a scale) is a fresh rollout of the
    // stable revision: it progresses and completes like any other; the failed revision stays
    // rolled back until a new one is applied.
    if (rollout.rollingBack && laterThanFailure(input)) return rollout.fullyAvailable ? 'Available' : 'Progressing';
    if (rollout.failure.kind === 'Aborted') return 'Aborted';
    return rollout.rollingBack && rollout.fullyAvailable ? 'RolledBack' : 'Failed';
  }
  if (rollout.fullyAvailable) return 'Available';
  if (backoff) return 'Degraded';
  const runningOnTarget = fleet.views.some((v) => v.running && v.task.revision === rollout.target);
  if (rollout.stableRevision === undefined && counts.available === 0 && !runningOnTarget) return 'Pending';
  return 'Progressing';
}

function messageOf(phase: ServicePhase, input: StatusInput, counts: ServiceCounts): string {
  const { fleet, rollout, backoff, now } = input;
  const replicas = counts.desired;
  const target = rollout.target;
  const targetAvailable = fleet.byRevision.get(target)?.available ?? 0;
  const others = fleet.notStopped - (fleet.byRevision.get(target)?.notStopped ?? 0);
  const failure = rollout.failure;
  switch (phase) {
    case 'Terminating':
      return fleet.notStopped > 0 ? `Deleting: waiting for ${plural(fleet.notStopped, 'task')} to stop` : 'Deleted: no tasks remain';
    case 'Paused':
      if (!input.desired.paused && rollout.record?.waiting) return canaryClause(rollout.record, target, replicas, input.desired.name);
      return rollout.record
        ? `Rollout of revision ${target} paused: ${counts.updated} of ${replicas} updated, ${counts.available} available`
        : `Paused: ${counts.available} of ${replicas} tasks available (revision ${target})`;
    case 'Aborted':
      return rollout.fullyAvailable
        ? `Rollout of revision ${failure!.revision} aborted: back on revision ${target}, ${replicas} of ${replicas} tasks available`
        : `Rollout of revision ${failure!.revision} aborted: rolling back to revision ${target} (${targetAvailable} of ${replicas} available)`;
    case 'RolledBack':
      return `Rolled back to revision ${target} after revision ${failure!.revision} failed: ${failure!.reason}`;
    case 'Failed':
      return rollout.rollingBack
        ? `Rollout of revision ${failure!.revision} failed: ${failure!.reason}; rolling back to revision ${target} (${targetAvailable} of ${replicas} available)`
        : `Rollout of revision ${target} failed: ${failure!.reason}; stopped where it is: ${counts.updated} of ${replicas} updated, ${counts.available} available. Apply a new revision or roll back`;
    case 'Available':
      return `Revision ${target} available: ${replicas} of ${replicas} tasks` +
        (failure ? ` (revision ${failure.revision} failed and stays rolled back; apply a new revision to retry)` : '');
    case 'Degraded':
      return `${targetAvailable} of ${replicas} tasks of revision ${target} available; crash loop (step ${backoff!.failures}, ${backoffDelayMs(backoff!.failures) / 1000} s between starts)` +
        (isBackingOff(backoff, now) ? `, next start at ${new Date(backoff!.until).toISOString()}` : '') +
        latestFailureClause(fleet);
    case 'Pending':
      return `Starting ${plural(replicas, 'task')} of revision ${target}`;
    case 'Progressing':
      if (rollout.record?.held) return `Rollout of revision ${target} held: ${rollout.record.held.message}`;
      if (rollout.record?.steps !== undefined && rollout.guarded) {
        return `${canaryClause(rollout.record, target, replicas, input.desired.name)}: ${targetAvailable} new available, ${plural(others, 'old task')} remaining`;
      }
      return others > 0
        ? `Waiting for rollout to finish: ${targetAvailable} of ${replicas} new tasks available (revision ${target}), ${plural(others, 'old task')} remaining`
        : `Waiting for revision ${target}: ${targetAvailable} of ${replicas} tasks available`;
  }
}

function laterThanFailure(input: StatusInput): boolean {
  const failedAt = input.rollout.record?.failedGeneration;
  return failedAt !== undefined && input.desired.generation > failedAt;
}

function progressing(input: StatusInput, phase: ServicePhase): ServiceCondition {
  const { rollout, previous, now } = input;
  if (rollout.failure) {
    return condition(previous, now, 'Progressing', false, rollout.failure.kind, `Revision ${rollout.failure.revision} failed: ${rollout.failure.reason}`);
  }
  if (phase === 'Paused' && !input.desired.paused) {
    return condition(previous, now, 'Progressing', false, 'CanaryPaused', 'Waiting for promote at a canary pause step');
  }
  if (phase === 'Paused') return condition(previous, now, 'Progressing', false, 'RolloutPaused', 'Paused: starting and stopping nothing');
  if (rollout.record?.held) return condition(previous, now, 'Progressing', false, rollout.record.held.reason, rollout.record.held.message);
  if (rollout.fullyAvailable) {
    return condition(previous, now, 'Progressing', true, 'NewRevisionAvailable', `Revision ${rollout.target} is available`);
  }
  return condition(previous, now, 'Progressing', true, 'RolloutInProgress', `Converging on revision ${rollout.target}`);
}

/** A condition whose `lastTransitionTime` stays put unless its status flips. */
function condition(
  previous: ServiceStatus | undefined,
  now: number,
  type: ServiceCondition['type'],
  ok: boolean,
  reason: string,
  message: string,
): ServiceCondition {
  const status = ok ? 'True' : 'False';
  const before = previous?.conditions.find((c) => c.type === type);
  const lastTransitionTime = before && before.status === status ? before.lastTransitionTime : now;
  return { type, status, reason, message, lastTransitionTime };
}

/** "Canary of revision 5 at step 2 of 3, weight 25% (1 of 4 tasks)" and what it waits for. */
function canaryClause(record: NonNullable<ServiceStatus['rollout']>, target: number, replicas: number, name: string): string {
  const steps = record.steps ?? 0;
  const step = Math.min(record.step ?? 0, steps);
  const weight = record.weight ?? 0;
  const at = `Canary of revision ${target} at step ${Math.min(step + 1, steps)} of ${steps}, weight ${weight}% (${Math.ceil((replicas * weight) / 100)} of ${replicas} tasks)`;
  if (record.waiting?.kind === 'untilPromoted') return `${at}: waiting for promote (corral rollout promote ${name}, --full for all steps)`;
  if (record.waiting?.kind === 'timed') return `${at}: pausing until ${new Date(record.waiting.endsAt).toISOString()}`;
  return at;
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Why the most recent failed task failed, so a crash loop's status says what is wrong. */
function latestFailureClause(fleet: StatusInput['fleet']): string {
  let latest: StatusInput['fleet']['views'][number] | undefined;
  for (const view of fleet.views) {
    if (fleet.failedTasks[view.task.taskArn] === undefined) continue;
    if (!latest || (view.task.stoppedAt ?? 0) > (latest.task.stoppedAt ?? 0)) latest = view;
  }
  if (!latest) return '';
  return `; last failure: ${latest.task.lastStatus === 'STOPPED' ? describeStop(latest.task) : 'UNHEALTHY'}`;
}
