/** The pure planner: `plan(desired, observed, now)` and what the shell needs around it. */
export { plan } from './plan.js';
export { afterLaunch, launchRetryFloorMs, type LaunchDecision, type LaunchReport } from './after-launch.js';
export { prunableRevisions } from './prune.js';
export { isStalled, stalledStatus, type Stall } from './stalled.js';
export { backoffDelayMs, nextBackoff, isBackingOff, recordLaunchFailure } from './backoff.js';
export { rolloutBounds, rollingStep } from './rollout-bounds.js';
export type { RolloutBounds } from './rollout-bounds.js';
export { isStoppedByCorral } from './fleet-view.js';
export { benchmarkFleet } from './bench-fixture.js';
export { DEFAULT_ALARM_NAME_PREFIX } from './defaults.js';
export { BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, BACKOFF_RESET_MS, HEALTH_POLL_MS, STOP_REASON_PREFIX } from './defaults.js';
export type * from './types.js';
