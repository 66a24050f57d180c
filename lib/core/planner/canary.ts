/**
 * Canary steps as pure arithmetic: where a canary rollout stands, which weight it holds, how many
 * tasks each revision should have, and when it moves on. The planner turns the counts into starts
 * and stops inside the rollout bounds (maxSurge/maxUnavailable still bound every move).
 */

/** `{setWeight}`: share (1..100) of `replicas` on the new revision; `{pause}`: wait `seconds`, or for promote. */
export type CanaryStep = { setWeight: number } | { pause: { seconds?: number } };

/** What a canary remembers between reconciles (kept in the service status). */
export interface CanaryPosition {
  /** Index of the step in progress; `steps.length` once every step is done (complete to 100%). */
  step: number;
  /** Epoch ms the current step began (a timed pause counts from here). */
  stepStartedAt: number;
}

/** New-revision tasks for a weight: `ceil(replicas × weight / 100)`, so any weight > 0 runs at least one. */
export function canaryCount(replicas: number, weight: number): number {
  return Math.ceil((replicas * weight) / 100);
}

/** The weight in force at `step`: the last setWeight at or before it (0 before any; 100 after the last step). */
export function weightAt(steps: readonly CanaryStep[], step: number): number {
  if (step >= steps.length) return 100;
  for (let i = step; i >= 0; i--) {
    const candidate = steps[i];
    if ('setWeight' in candidate) return candidate.setWeight;
  }
  return 0;
}

export interface CanaryInput {
  steps: readonly CanaryStep[];
  position: CanaryPosition;
  replicas: number;
  /** New-revision tasks available now. */
  newAvailable: number;
  /** Old-revision tasks not yet stopped (or being stopped). */
  oldLive: number;
  now: number;
  /** A user's promote since the last reconcile: the next step, or every remaining one. */
  promote?: 'step' | 'full';
}

export interface CanaryDecision {
  position: CanaryPosition;
  /** Weight of the step now in progress. */
  weight: number;
  /** Tasks the new revision should have: `canaryCount(replicas, weight)`. */
  newTarget: number;
  /** Tasks the stable revision keeps: the rest of `replicas`. */
  oldTarget: number;
  /** Waiting in a pause: until a time (`timed`) or for a promote (`untilPromoted`). */
  paused?: { kind: 'timed'; endsAt: number } | { kind: 'untilPromoted' };
  /** When to look again without any event (a timed pause ending). */
  requeueAfterMs?: number;
}

/**
 * Advances through every step that is already satisfied, so one reconcile can pass several.
 * A setWeight step is satisfied when the new revision has `newTarget` available tasks and the
 * stable revision is down to `oldTarget`; a timed pause when its time has passed; an open pause
 * only by promote. Promote skips the step in progress; `full` skips all of them.
 *
 * Worked example: replicas 4, steps [{setWeight: 25}, {pause: {}}, {setWeight: 50}].
 *   step 0: weight 25 → newTarget ceil(4 × 0.25) = 1, oldTarget 3; satisfied once 1 new task is
 *           available and 3 old remain → step 1 (same reconcile).
 *   step 1: open pause, weight still 25 → holds 1 new + 3 old until promote → step 2.
 *   step 2: weight 50 → 2 new + 2 old; satisfied → step 3 = steps.length: weight 100, 4 new + 0 old.
 * With replicas 3 and weight 25: ceil(0.75) = 1 new, 2 old; with replicas 10 and weight 1: 1 new, 9 old.
 */
export function advanceCanary(input: CanaryInput): CanaryDecision {
  const { steps, replicas, newAvailable, oldLive, now } = input;
  let { step, stepStartedAt } = input.position;
  if (input.promote === 'full') step = steps.length;
  else if (input.promote === 'step' && step < steps.length) step += 1;
  if (step !== input.position.step) stepStartedAt = now;

  // Bounded by the number of steps: each pass either moves forward or returns.
  while (step < steps.length) {
    const current = steps[step];
    const weight = weightAt(steps, step);
    const newTarget = canaryCount(replicas, weight);
    const oldTarget = replicas - newTarget;
    const position = { step, stepStartedAt };
    if ('pause' in current) {
      const seconds = current.pause.seconds;
      if (seconds === undefined) return { position, weight, newTarget, oldTarget, paused: { kind: 'untilPromoted' } };
      const endsAt = stepStartedAt + seconds * 1000;
      if (now < endsAt) return { position, weight, newTarget, oldTarget, paused: { kind: 'timed', endsAt }, requeueAfterMs: endsAt - now };
    } else if (newAvailable < newTarget || oldLive > oldTarget) {
      return { position, weight, newTarget, oldTarget };
    }
    step += 1;
    stepStartedAt = now;
  }
  return { position: { step, stepStartedAt }, weight: 100, newTarget: replicas, oldTarget: 0 };
}

/**
 * One move toward a canary's targets inside the rollout bounds — `rollingStep` with the
 * revisions' targets in place of "all new, no old":
 *
 *   starts   = min(newTarget − newLive, maxTasks − notStopped)
 *   oldStops = min(oldLive − oldTarget, oldLive + newAvailable − minAvailable)
 *
 * Example: replicas 4, maxSurge 1, maxUnavailable 0 (maxTasks 5, minAvailable 4), weight 25
 * (newTarget 1, oldTarget 3), 4 old available: starts = min(1, 5 − 4) = 1, oldStops = min(1, 4 + 0 − 4) = 0;
 * once the new task is available: starts 0, oldStops = min(1, 4 + 1 − 4) = 1 → 1 new + 3 old.
 */
export function canaryMove(input: {
  bounds: { maxTasks: number; minAvailable: number };
  newTarget: number;
  oldTarget: number;
  notStopped: number;
  newLive: number;
  newAvailable: number;
  oldLive: number;
}): { starts: number; oldStops: number } {
  const { bounds, newTarget, oldTarget, notStopped, newLive, newAvailable, oldLive } = input;
  const starts = Math.max(0, Math.min(newTarget - newLive, bounds.maxTasks - notStopped));
  const oldStops = Math.max(0, Math.min(oldLive - oldTarget, oldLive + newAvailable - bounds.minAvailable));
  return { starts, oldStops };
}
