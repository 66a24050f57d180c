import type { FieldError } from '../spec/field-error.js';
import { parseCron, type CronSchedule } from './cron.js';
import { nextCronAfter, previousCronAtOrBefore } from './cron-calendar.js';
import { nextRateAfter, parseRate, previousRateAtOrBefore, type RateSchedule } from './rate.js';
import { defaultTimeZone } from './time-zone.js';

/** A job's schedule, parsed from EventBridge syntax. Times are epoch milliseconds (absolute). */
export type Schedule = RateSchedule | CronSchedule;

/** Parses `rate(...)` or `cron(...)`; a FieldError on field "schedule" says what is wrong. */
export function parseSchedule(expression: string): Schedule | FieldError {
  const trimmed = expression.trim();
  if (trimmed.startsWith('rate(')) return parseRate(trimmed);
  if (trimmed.startsWith('cron(')) return parseCron(trimmed);
  return {
    field: 'schedule',
    message: `${expression}: must be rate(value unit) or cron(minutes hours day-of-month month day-of-week year)`,
  };
}

export function isSchedule(parsed: Schedule | FieldError): parsed is Schedule {
  return 'kind' in parsed;
}

/**
 * The first tick strictly after `afterMs`, or undefined when there is none (a cron whose years
 * have all passed). `anchorMs`, the job's creation time, is where rate schedules count from;
 * cron schedules ignore it. `timeZone` (IANA) is where a cron schedule's wall-clock times are
 * read; a rate schedule is a fixed interval of absolute time and ignores it, daylight saving
 * included.
 */
export function nextRunAfter(schedule: Schedule, afterMs: number, anchorMs: number, timeZone: string = defaultTimeZone): number | undefined {
  return schedule.kind === 'rate' ? nextRateAfter(schedule, afterMs, anchorMs) : nextCronAfter(schedule, afterMs, timeZone);
}

/**
 * A job's next tick after `afterMs` from its spec's timing, or undefined when its schedule does
 * not parse (a spec stored before a validation change) or has no tick left.
 */
export function nextTickOf(job: { schedule: string; scheduleAnchor: number; timeZone?: string }, afterMs: number): number | undefined {
  const schedule = parseSchedule(job.schedule);
  return isSchedule(schedule) ? nextRunAfter(schedule, afterMs, job.scheduleAnchor, job.timeZone) : undefined;
}

/** The latest tick at or before `atMs`, or undefined when there is none yet. */
export function previousRunAtOrBefore(schedule: Schedule, atMs: number, anchorMs: number, timeZone: string = defaultTimeZone): number | undefined {
  return schedule.kind === 'rate'
    ? previousRateAtOrBefore(schedule, atMs, anchorMs)
    : previousCronAtOrBefore(schedule, atMs, timeZone);
}

/**
 * Whether the schedule fires at all after `afterMs` ("does this ever fire"): false for a cron
 * whose years have all passed, such as cron(0 0 1 1 ? 2020) today. Rate schedules always fire.
 */
export function firesAfter(schedule: Schedule, afterMs: number, timeZone: string = defaultTimeZone): boolean {
  return nextRunAfter(schedule, afterMs, afterMs, timeZone) !== undefined;
}
