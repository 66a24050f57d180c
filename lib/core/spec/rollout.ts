import type { CountOrPercent, ServiceSpec } from './service-spec.js';

/** A rollout policy turned into task counts for the current number of replicas. */
export interface ResolvedRollout {
  /** Tasks allowed above replicas while a rollout runs. */
  maxSurge: number;
  /** Tasks allowed missing below replicas while a rollout runs. */
  maxUnavailable: number;
  /** Failed new tasks after which the rollout fails. */
  failureThreshold: number;
}

/** Bounds of the derived failure threshold, as the ECS deployment circuit breaker's. */
export const FAILURE_THRESHOLD_MIN = 3;
export const FAILURE_THRESHOLD_MAX = 200;

/**
 * Resolves surge and unavailability like Kubernetes' ResolveFenceposts: a percentage of
 * replicas, surge rounded up and unavailable rounded down (so a rollout errs towards keeping
 * capacity); when both come to 0, unavailable becomes 1 so the rollout can still move.
 * The failure threshold, unless given, is half the replicas rounded up and clamped to 3..200,
 * as the ECS deployment circuit breaker computes it.
 *
 * Worked example, replicas 10, maxSurge "25%", maxUnavailable "25%":
 *   surge       = ceil(10 × 25 / 100)  = ceil(2.5)  = 3   -> at most 13 tasks run
 *   unavailable = floor(10 × 25 / 100) = floor(2.5) = 2   -> at least 8 stay available
 *   failureThreshold = ceil(0.5 × 10) = 5, within 3..200 -> 5
 * Replicas 1, maxSurge "10%", maxUnavailable "10%": surge ceil(0.1) = 1, unavailable 0.
 * Replicas 0, maxSurge "25%", maxUnavailable 0: both 0, so unavailable becomes 1.
 * Replicas 25: failureThreshold ceil(12.5) = 13; replicas 4: ceil(2) = 2, clamped up to 3;
 * replicas 1000: 500, clamped down to 200.
 */
export function resolveRollout(spec: Pick<ServiceSpec, 'replicas' | 'rollout'>): ResolvedRollout {
  const { replicas, rollout } = spec;
  const maxSurge = scaled(rollout.maxSurge, replicas, Math.ceil);
  let maxUnavailable = scaled(rollout.maxUnavailable, replicas, Math.floor);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  const failureThreshold =
    rollout.failureThreshold ??
    Math.min(FAILURE_THRESHOLD_MAX, Math.max(FAILURE_THRESHOLD_MIN, Math.ceil(replicas / 2)));
  return { maxSurge, maxUnavailable, failureThreshold };
}

/** True for 0 and "0%": the value is zero whatever the replicas. */
export function isLiteralZero(value: CountOrPercent): boolean {
  return value === 0 || value === '0%';
}

function scaled(value: CountOrPercent, replicas: number, round: (x: number) => number): number {
  if (typeof value === 'number') return value;
  // Percent and replicas are integers, so percent × replicas is exact; dividing by 100 is
  // exact whenever the true result is a whole number, which is what the rounding cares about.
  return round((Number.parseInt(value, 10) * replicas) / 100);
}
