import { previousRunAtOrBefore, type Schedule } from './schedule.js';
import { defaultTimeZone } from './time-zone.js';

/**
 * The tick the dispatcher should run now, if any: the latest tick at or before `now` that is
 * later than both the last tick already dispatched and the anchor (the job's creation, or the
 * last change of its schedule, whose ticks before it do not count).
 *
 * Catch-up rule: a missed window runs once, for its latest tick, not once per missed tick.
 * Example, rate(5 minutes) anchored at 12:00, last dispatched tick 12:05, dispatcher back at
 * 12:31 after an outage: ticks 12:10 … 12:30 were missed; the answer is 12:30 alone, and at
 * 12:32 there is nothing due until 12:35.
 */
export function dueRun(
  schedule: Schedule,
  lastScheduledTick: number | undefined,
  anchor: number,
  now: number,
  timeZone: string = defaultTimeZone,
): { tick: number } | undefined {
  const tick = previousRunAtOrBefore(schedule, now, anchor, timeZone);
  if (tick === undefined) return undefined;
  const floor = Math.max(anchor, lastScheduledTick ?? anchor);
  return tick > floor ? { tick } : undefined;
}
