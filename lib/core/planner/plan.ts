import { actionEvents, stopReason } from './action-events.js';
import { backoffDelayMs, isBackingOff, nextBackoff } from './backoff.js';
import { progressCanary, type CanaryProgress } from './canary-rollout.js';
import { ALARM_POLL_MS, HEALTH_POLL_MS } from './defaults.js';
import { planFleetActions } from './fleet-actions.js';
import type { FleetActions } from './fleet-actions.js';
import { fleetView } from './fleet-view.js';
import type { FleetView } from './fleet-view.js';
import { decideRollout } from './rollout.js';
import type { RolloutDecision } from './rollout.js';
import { prunableRevisions } from './prune.js';
import { buildStatus, plural } from './status.js';
import type { BackoffRecord, Desired, Observed, Plan, PlanEvent, ServiceStatus } from './types.js';

/**
 * Decide what to start and stop so the service's tasks match `desired`, from what ECS shows
 * (`observed.tasks`) and what the last reconcile wrote (`observed.status`), at time `now`
 * (epoch ms). Pure and idempotent: the same inputs give the same plan, and a converged fleet
 * plans nothing and returns the status it was given.
 *
 * Order of decisions:
 *   1. classify every task once (live, going away, healthy, available, newly failed);
 *   2. crash-loop backoff from the newly failed tasks;
 *   3. deleting → stop everything, remove when nothing is left;
 *   4. which revision to converge on (the user's, or the stable one after a failed rollout),
 *      the rollout's deadline and circuit breaker;
 *   5. unless paused or a failed rollout is frozen: starts and stops within the bounds;
 *   6. status, events, which revisions to prune, and when to look again.
 */
export function plan(desired: Desired, observed: Observed, now: number): Plan {
  const previous = observed.status;
  const spec = desired.spec;
  const fleet = fleetView({
    tasks: observed.tasks,
    now,
    minHealthyMs: Math.max(0, spec.minHealthySeconds) * 1000,
    hasHealthCheck: (revision) => desired.revisionSpecs?.[revision]?.hasHealthCheck ?? spec.hasHealthCheck,
    previous,
  });
  // A service being deleted has nothing left to back off from: its tasks all go anyway.
  if (desired.deleting) return planDeletion(desired, fleet, previous, now);

  // A crash loop belongs to what was crashing: a new revision from the user starts afresh.
  const carried = previous?.targetRevision === desired.revision ? previous.backoff : undefined;
  const backoff = nextBackoff(carried, fleet.failures.length, now);
  const events: PlanEvent[] = backoffEvents(carried, backoff, now);

  const rollout = decideRollout(desired, fleet, previous, now, observed.alarms);
  events.push(...pauseEvents(desired, previous));
  events.push(...rollout.events);

  const held = rollout.record?.held !== undefined;
  const acting = !desired.paused && !rollout.frozen && !held;
  // Steps apply to a forward rollout from a stable revision; a first deployment and a revert go straight to full count.
  const canary: CanaryProgress | undefined =
    acting && rollout.guarded && rollout.record && spec.strategy === 'Canary' && spec.steps?.length
      ? progressCanary({ record: rollout.record, spec, fleet, target: rollout.target, promotion: rollout.promotion, name: desired.name, now })
      : undefined;
  if (canary) events.push(...canary.events);
  const actions: FleetActions = acting
    ? planFleetActions({ fleet, spec, target: rollout.target, canStart: !isBackingOff(backoff, now), canaryTargets: canary?.targets })
    : { starts: [], stops: [], heldByBackoff: false };

  const replicas = Math.max(0, Math.floor(spec.replicas));
  const stopContext = { target: rollout.target, replicas, rollingBack: rollout.rollingBack };
  const targetTally = fleet.byRevision.get(rollout.target);
  const stopsOfTarget = actions.stops.filter((s) => s.view.task.revision === rollout.target).length;
  const described = actionEvents(actions, fleet.failures, {
    ...stopContext,
    inRollout: rollout.record !== undefined && rollout.stableRevision !== undefined,
    targetLive: (targetTally?.live ?? 0) - stopsOfTarget,
    targetAvailable: targetTally?.available ?? 0,
  });
  events.push(...described.events);

  const status = buildStatus({ desired, fleet, rollout, backoff, previous, now });
  if (status.phase === 'RolledBack' && previous?.phase !== 'RolledBack') {
    events.push({ type: 'RolledBack', message: status.message });
  }

  const result: Plan = {
    start: actions.starts.map((s) =>
      s.replaced ? { revision: s.revision, slot: s.slot, replaces: s.replaced.task.taskArn } : { revision: s.revision, slot: s.slot },
    ),
    stop: actions.stops.map((s) => ({ taskArn: s.view.task.taskArn, reason: stopReason(s.cause, stopContext) })),
    status: sameAsBefore(previous, status) ? previous! : status,
    events,
    launchEvents: described.launchEvents,
    prune: prunableRevisions(desired, observed.tasks, status),
  };
  const gates = acting ? nextGate(fleet, rollout, actions, backoff, spec.progressDeadlineSeconds, now) : undefined;
  const requeue = earliest(gates, canary?.wakeAt === undefined ? undefined : Math.max(1, canary.wakeAt - now), alarmPoll(desired, rollout));
  if (requeue !== undefined) result.requeueAfterMs = requeue;
  return result;
}

/**
 * The earliest moment something can change without an ECS event saying so: a healthy task
 * reaching minHealthySeconds, the backoff ending while tasks are missing, the progress deadline,
 * or a health check still to report (ECS sends no event for health).
 */
function nextGate(
  fleet: FleetView,
  rollout: RolloutDecision,
  actions: FleetActions,
  backoff: BackoffRecord | undefined,
  deadlineSeconds: number,
  now: number,
): number | undefined {
  let at = Infinity;
  for (const view of fleet.views) {
    if (view.healthy && !view.available && view.availableAt! < at) at = view.availableAt!;
  }
  if (actions.heldByBackoff && backoff) at = Math.min(at, backoff.until);
  // While a canary waits at a pause step the deadline clock is stopped (pausedAt set).
  if (rollout.guarded && rollout.record && rollout.record.pausedAt === undefined) {
    at = Math.min(at, rollout.record.lastProgressAt + deadlineSeconds * 1000);
  }
  if (fleet.awaitingHealth > 0) at = Math.min(at, now + HEALTH_POLL_MS);
  return at === Infinity ? undefined : Math.max(1, Math.ceil(at - now));
}

/** CloudWatch tells Corral nothing: a forward rollout gated on alarms (held or moving) reads them again after ALARM_POLL_MS. */
function alarmPoll(desired: Desired, rollout: RolloutDecision): number | undefined {
  if (desired.paused || !desired.spec.alarms?.length || !rollout.guarded || !rollout.record) return undefined;
  return ALARM_POLL_MS;
}

function earliest(...delays: (number | undefined)[]): number | undefined {
  const known = delays.filter((d): d is number => d !== undefined);
  return known.length === 0 ? undefined : Math.min(...known);
}

function planDeletion(desired: Desired, fleet: FleetView, previous: ServiceStatus | undefined, now: number): Plan {
  const events: PlanEvent[] = [];
  const replicas = Math.max(0, Math.floor(desired.spec.replicas));
  const reason = stopReason('delete', { target: desired.revision, replicas, rollingBack: false });
  const stop = fleet.views.filter((v) => v.live).map((v) => ({ taskArn: v.task.taskArn, reason }));
  if (stop.length > 0) events.push({ type: 'Terminating', message: `Deleting service: stopping ${plural(stop.length, 'task')}` });
  const removeService = fleet.notStopped === 0;
  if (removeService) events.push({ type: 'ServiceRemoved', message: 'All tasks stopped: removing the service' });
  const rollout: RolloutDecision = {
    target: previous?.revision ?? desired.revision,
    stableRevision: desired.stableRevision ?? previous?.stableRevision,
    rollingBack: false,
    frozen: false,
    fullyAvailable: false,
    guarded: false,
    events: [],
  };
  const status = buildStatus({ desired, fleet, rollout, backoff: undefined, previous, now });
  const result: Plan = { start: [], stop, status: sameAsBefore(previous, status) ? previous! : status, events, launchEvents: [], prune: [] };
  if (removeService) result.removeService = true;
  return result;
}

function backoffEvents(before: BackoffRecord | undefined, after: BackoffRecord | undefined, now: number): PlanEvent[] {
  if (after && after.until !== before?.until && after.until > now) {
    return [
      {
        type: 'BackOff',
        message: `Crash loop: step ${after.failures}, no task starts for ${backoffDelayMs(after.failures) / 1000} s`,
      },
    ];
  }
  if (before && !after) return [{ type: 'BackOffReset', message: 'Crash-loop backoff reset after 10 min without a failure' }];
  return [];
}

function pauseEvents(desired: Desired, previous: ServiceStatus | undefined): PlanEvent[] {
  // A canary waiting at a pause step shows Paused too, but that is not the user's pause.
  const wasPaused = previous?.phase === 'Paused' && previous.rollout?.waiting === undefined;
  if (desired.paused && !wasPaused) return [{ type: 'RolloutPaused', message: 'Paused: starting and stopping nothing until resumed' }];
  if (!desired.paused && wasPaused && !desired.deleting) return [{ type: 'RolloutResumed', message: 'Resumed' }];
  return [];
}

/** Structural equality of two statuses (plain JSON data), so a converged plan hands back the very same object. */
function sameAsBefore(previous: ServiceStatus | undefined, next: ServiceStatus): boolean {
  return previous !== undefined && deepEqual(previous, next);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
