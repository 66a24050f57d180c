/** The planner's fixed timings, in one place. */

/** First crash-loop wait, as Kubernetes' CrashLoopBackOff. */
export const BACKOFF_INITIAL_MS = 10_000;
/** Crash-loop waits double up to this cap. */
export const BACKOFF_MAX_MS = 300_000;
/** A backoff resets after this long without a failure. */
export const BACKOFF_RESET_MS = 600_000;
/**
 * ECS emits no event when a task's health changes, so while a running task with a health check
 * is still UNKNOWN the planner asks to be called again after this long rather than waiting for
 * the one-minute sweep.
 */
export const HEALTH_POLL_MS = 5_000;
/** Every stop reason the planner writes starts with this, so its own stops are recognisable. */
export const STOP_REASON_PREFIX = 'Corral: ';
/**
 * CloudWatch sends Corral no event for an alarm, so a rollout gated on alarms reads them at least
 * this often (and once a hold is lifted, it moves on within this long).
 */
export const ALARM_POLL_MS = 10_000;
/**
 * Rollout alarms are named with this unless the stack says otherwise (`corral:alarmNamePrefix`):
 * the functions may read only those alarms, and local mode applies the same rule.
 */
export const DEFAULT_ALARM_NAME_PREFIX = 'corral-';
/** How long a counted failure is remembered: ECS lists a stopped task for at least an hour. */
export const FAILED_TASK_MEMORY_MS = 3_600_000;
