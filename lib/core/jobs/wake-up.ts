/**
 * The dispatcher's precise wake-up: a delayed queue message for the next instant a job needs the
 * leader (a tick, a timeout), so runs start on time rather than on the next one-minute tick.
 *
 * A queue delays a message by whole seconds, at most 15 minutes (SQS DelaySeconds 0..900), and
 * delivery adds latency. So the message is sent to arrive `leadMs` early; the woken dispatcher
 * sleeps the rest and acts at the instant. A wait beyond the queue's limit is re-armed when its
 * message arrives. Worked example, armed at 12:00:00.300 for 12:20:05.000 (1204.7 s away):
 * delay 900 s → arrives 12:15:00.3, still 304.7 s early → re-armed with delay 303 s → arrives
 * 12:20:03.3, 1.7 s early → sleeps 1.7 s → acts at 12:20:05.000.
 */
export const wakeUpDefaults = {
  /** SQS's DelaySeconds limit. */
  maxDelaySeconds: 900,
  /** How early a message is meant to arrive, absorbing delivery latency. */
  leadMs: 1_000,
  /** The longest a woken dispatcher sleeps before acting; a longer wait is re-armed instead. */
  maxSleepMs: 3_000,
  /** How long a wake-up that finds the lease held keeps trying again, a second apart. */
  retryWindowMs: 20_000,
  retryDelaySeconds: 1,
} as const;

/** The message delay that makes a wake-up for `at`, sent at `now`, arrive `leadMs` early. */
export function wakeUpDelaySeconds(at: number, now: number): number {
  const seconds = Math.floor((at - now - wakeUpDefaults.leadMs) / 1000);
  return Math.min(wakeUpDefaults.maxDelaySeconds, Math.max(0, seconds));
}

/** What to do with a wake-up message for `at` that arrives at `now`. */
export type WakeUpAction =
  /** A newer wake-up replaced this one: drop it. */
  | { kind: 'stale' }
  /** Still too far away (beyond the queue's delay limit): send it again. */
  | { kind: 'rearm' }
  /** Sleep `ms` (possibly 0), then run the jobs pass. */
  | { kind: 'act'; sleepMs: number };

export function wakeUpAction(at: number, armed: { at: number } | undefined, now: number): WakeUpAction {
  if (armed !== undefined && armed.at !== at) return { kind: 'stale' };
  if (at - now > wakeUpDefaults.maxSleepMs) return { kind: 'rearm' };
  return { kind: 'act', sleepMs: Math.max(0, at - now) };
}

/**
 * Whether a wake-up for `at` must be armed, given the one armed last: not when one at or before
 * `at` is still to come (its pass arms the next one), so each pass does not add a message. One
 * armed for `now` itself is the wake-up being handled (or as good as handled: this pass covers
 * its instant), so it does not count.
 */
export function needsWakeUp(at: number, armed: { at: number } | undefined, now: number): boolean {
  return armed === undefined || armed.at > at || armed.at <= now;
}
