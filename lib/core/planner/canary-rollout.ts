import { advanceCanary } from './canary.js';
import type { FleetView } from './fleet-view.js';
import { applyPause } from './rollout.js';
import type { Promotion } from './rollout-gates.js';
import type { PlanEvent, PlannerSpec, RolloutRecord } from './types.js';

export interface CanaryProgress {
  /** Task counts the fleet moves toward (inside the rollout bounds). */
  targets: { newTarget: number; oldTarget: number };
  events: PlanEvent[];
  /** When a timed pause ends. */
  wakeAt?: number;
}

/**
 * Moves a forward canary rollout through its steps and records where it stands on `record`
 * (`step`, `steps`, `weight`, `stepStartedAt`, `waiting`). Only a rollout away from a stable
 * revision has steps: a first deployment and a rollback go straight to full count.
 */
export function progressCanary(input: {
  record: RolloutRecord;
  spec: PlannerSpec;
  fleet: FleetView;
  target: number;
  promotion: Promotion | undefined;
  name: string;
  now: number;
}): CanaryProgress {
  const { record, spec, fleet, target, promotion, name, now } = input;
  const steps = spec.steps ?? [];
  const replicas = Math.max(0, Math.floor(spec.replicas));
  let oldLive = 0;
  for (const [revision, tally] of fleet.byRevision) if (revision !== target) oldLive += tally.live;
  const decision = advanceCanary({
    steps,
    position: { step: record.step ?? 0, stepStartedAt: record.stepStartedAt ?? record.startedAt },
    replicas,
    newAvailable: fleet.byRevision.get(target)?.available ?? 0,
    oldLive,
    now,
    promote: promotion,
  });
  const events: PlanEvent[] = [];
  if (promotion) {
    events.push({
      type: 'CanaryPromoted',
      message: promotion === 'full' ? `Promoted revision ${target} fully: skipping the remaining steps` : `Promoted revision ${target} to the next step`,
    });
  }
  const moved = decision.position.step !== record.step || record.steps === undefined;
  record.step = decision.position.step;
  record.steps = steps.length;
  record.weight = decision.weight;
  record.stepStartedAt = decision.position.stepStartedAt;
  if (decision.paused) record.waiting = decision.paused;
  else delete record.waiting;
  // A pause step stops the progress deadline from the moment it begins to the moment it ends
  // (this runs only while neither the user's pause nor a hold applies).
  applyPause(record, decision.paused !== undefined, now);
  if (moved) events.push({ type: 'CanaryStep', message: stepMessage(record, decision.newTarget, replicas, target, name) });
  const progress: CanaryProgress = { targets: { newTarget: decision.newTarget, oldTarget: decision.oldTarget }, events };
  if (decision.paused?.kind === 'timed') progress.wakeAt = decision.paused.endsAt;
  return progress;
}

function stepMessage(record: RolloutRecord, newTarget: number, replicas: number, target: number, name: string): string {
  const steps = record.steps ?? 0;
  if ((record.step ?? 0) >= steps) return `Canary of revision ${target}: every step done, completing to ${replicas} of ${replicas} tasks`;
  const at = `Canary of revision ${target} at step ${(record.step ?? 0) + 1} of ${steps}, weight ${record.weight}% (${newTarget} of ${replicas} tasks)`;
  if (record.waiting?.kind === 'untilPromoted') return `${at}: waiting for \`corral rollout promote ${name}\``;
  if (record.waiting?.kind === 'timed') return `${at}: pausing until ${new Date(record.waiting.endsAt).toISOString()}`;
  return at;
}
