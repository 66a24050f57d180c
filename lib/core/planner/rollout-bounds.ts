import type { RolloutStrategy } from './types.js';

/** The two numbers a rollout (and every replacement) must respect. */
export interface RolloutBounds {
  /** Tasks not yet STOPPED, all revisions together, never exceed this after a plan. */
  maxTasks: number;
  /** The planner's stops never bring available tasks below this (crashes may). */
  minAvailable: number;
}

/**
 * Bounds for `replicas` tasks. RollingUpdate: replicas + maxSurge tasks at most, replicas -
 * maxUnavailable available at least. Recreate never overlaps revisions: replicas at most, and no
 * availability floor (it stops everything old first, by definition).
 * Both surge and unavailable 0 could never move, so unavailable becomes 1 (as `resolveRollout`
 * and Kubernetes do); validation normally rejects it before it gets here.
 */
export function rolloutBounds(
  replicas: number,
  strategy: RolloutStrategy,
  maxSurge: number,
  maxUnavailable: number,
): RolloutBounds {
  if (strategy === 'Recreate') return { maxTasks: replicas, minAvailable: 0 };
  const surge = Math.max(0, maxSurge);
  let unavailable = Math.max(0, maxUnavailable);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { maxTasks: replicas + surge, minAvailable: Math.max(0, replicas - unavailable) };
}

/**
 * How many tasks may start, and how many old tasks may stop, in one RollingUpdate step.
 *
 *   starts   = min(replicas - newLive, maxTasks - notStopped)
 *   oldStops = oldLive + newAvailable - minAvailable        (Kubernetes' "maxScaledDown")
 *
 * `notStopped` counts every task whose lastStatus is not STOPPED, old and new, including those
 * already asked to stop, so a stop frees surge room only once ECS reports it STOPPED.
 * `oldStops` treats every old task as if it were available, and the planner stops the
 * unavailable ones first, so whatever it picks, available tasks stay ≥ minAvailable:
 * with k ≤ unavailable-old stops nothing available goes; with more, available after =
 * newAvailable + oldLive − k ≥ minAvailable.
 *
 * Worked example (the Kubernetes one): replicas 10, maxSurge 3, maxUnavailable 2
 * → maxTasks 13, minAvailable 8; 10 old tasks, all available.
 *   step 1: starts = min(10 − 0, 13 − 10) = 3; oldStops = 10 + 0 − 8 = 2  → 8 old + 3 new starting
 *   the 2 stopped old tasks reach STOPPED (notStopped 11):
 *   step 2: starts = min(10 − 3, 13 − 11) = 2; oldStops = 8 + 0 − 8 = 0   → 8 old + 5 new, 13 tasks
 *   the 5 new tasks become available:
 *   step 3: starts = min(5, 13 − 13) = 0;      oldStops = 8 + 5 − 8 = 5   → 3 old left, 8 available
 *   those 5 reach STOPPED (notStopped 8):
 *   step 4: starts = min(5, 13 − 8) = 5;       oldStops = 3 + 5 − 8 = 0
 *   the 5 new tasks become available:
 *   step 5: starts = 0;                        oldStops = 3 + 10 − 8 = 5 ≥ 3 → all old stop; done.
 * Never more than 13 tasks, never fewer than 8 available.
 */
export function rollingStep(input: {
  replicas: number;
  bounds: RolloutBounds;
  notStopped: number;
  newLive: number;
  newAvailable: number;
  oldLive: number;
}): { starts: number; oldStops: number } {
  const { replicas, bounds, notStopped, newLive, newAvailable, oldLive } = input;
  const starts = Math.max(0, Math.min(replicas - newLive, bounds.maxTasks - notStopped));
  const oldStops = Math.max(0, Math.min(oldLive, oldLive + newAvailable - bounds.minAvailable));
  return { starts, oldStops };
}
