import { BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, BACKOFF_RESET_MS } from './defaults.js';
import type { BackoffRecord, ServiceStatus } from './types.js';

/**
 * Wait before the next start after `failures` crash-loop steps: 10 s doubling, capped at 5 min.
 *   failures 1 → 10 s, 2 → 20 s, 3 → 40 s, 4 → 80 s, 5 → 160 s, 6 → 300 s (320 capped), 7+ → 300 s.
 */
export function backoffDelayMs(failures: number): number {
  if (failures <= 0) return 0;
  // 2^(failures-1) overflows nothing: past step 6 the cap wins anyway.
  const steps = Math.min(failures - 1, 10);
  return Math.min(BACKOFF_INITIAL_MS * 2 ** steps, BACKOFF_MAX_MS);
}

/**
 * The service's backoff after a reconcile that saw `newFailures` failures at `now`.
 *
 * One step per wave, not per task: failures seen while a wait is still running belong to the
 * tasks the previous wave started (three replicas crashing together are one crash-loop step,
 * however the ECS events for them are batched into reconciles), so they only move
 * `lastFailureAt`. The first failure after the wait ended is the next step, and doubles it.
 * Ten minutes without a failure resets the count (Kubernetes resets after 10 min of running).
 *
 * Example, one replica crashing 5 s after every start, failures seen at t = 0, 15, 50, 115 s:
 *   t=0   step 1, until 10   ·  t=15  step 2, until 35  ·  t=50  step 3, until 90
 *   t=115 step 4, until 195  ·  no failure from t=115 to t=715 → reset: the next one is step 1.
 */
export function nextBackoff(
  previous: BackoffRecord | undefined,
  newFailures: number,
  now: number,
): BackoffRecord | undefined {
  const current = previous && now - previous.lastFailureAt < BACKOFF_RESET_MS ? previous : undefined;
  if (newFailures === 0) return current;
  if (current && now < current.until) return { ...current, lastFailureAt: now };
  const failures = (current?.failures ?? 0) + 1;
  return { failures, until: now + backoffDelayMs(failures), lastFailureAt: now };
}

/** Whether starts must wait at `now`. */
export function isBackingOff(backoff: BackoffRecord | undefined, now: number): boolean {
  return backoff !== undefined && now < backoff.until;
}

/**
 * For the shell: a launch that RunTask refused (capacity, throttling after retries) is a
 * crash-loop step too, so the next reconcile waits instead of hammering ECS.
 */
export function recordLaunchFailure(status: ServiceStatus, now: number): ServiceStatus {
  return { ...status, backoff: nextBackoff(status.backoff, 1, now) };
}
