import { Cron } from 'croner';
import type { CronSchedule } from './cron.js';
import { defaultTimeZone } from './time-zone.js';

/**
 * Calendar arithmetic for cron schedules, done by croner (time zones, daylight saving, L, W, #,
 * years); Corral only translates EventBridge's syntax into croner's pattern (cron.ts).
 *
 * Daylight saving, as croner treats fixed-time jobs (every Corral pattern is one: minutes and
 * hours are spelled out as lists, never `*` or a step, see `cronerPattern`):
 * - a local time that does not exist (spring forward) runs once, at the first instant after the
 *   gap: cron(30 2 28 3 ? 2027) in Europe/Berlin runs at 03:00 CEST, 01:00 UTC; a quarter-hourly
 *   schedule's 02:00, 02:15, 02:30 and 02:45 that day all meet at 03:00 and run once;
 * - a local time that occurs twice (fall back) runs once, at its first occurrence:
 *   cron(30 2 31 10 ? 2027) in Europe/Berlin runs at 02:30 CEST, 00:30 UTC, not again at CET.
 */

const cronOptions = { mode: '7-part', domAndDow: true, fixedTimeRule: 'no-wildcard', paused: true } as const;

/** Croner objects by pattern and zone: building one parses the pattern, evaluating is pure. */
const calendars = new Map<string, Cron>();
const maxCachedCalendars = 1000;

function calendarOf(cron: CronSchedule, timeZone: string): Cron {
  const key = `${timeZone} ${cron.pattern}`;
  let calendar = calendars.get(key);
  if (calendar === undefined) {
    if (calendars.size >= maxCachedCalendars) calendars.delete(calendars.keys().next().value!);
    calendar = new Cron(cron.pattern, { ...cronOptions, timezone: timeZone });
    calendars.set(key, calendar);
  }
  return calendar;
}

/** The first tick strictly after `afterMs`, or undefined when there is none (its years have passed). */
export function nextCronAfter(cron: CronSchedule, afterMs: number, timeZone: string = defaultTimeZone): number | undefined {
  return calendarOf(cron, timeZone).nextRun(new Date(afterMs))?.getTime() ?? undefined;
}

/** The latest tick at or before `atMs`, or undefined before its first. */
export function previousCronAtOrBefore(cron: CronSchedule, atMs: number, timeZone: string = defaultTimeZone): number | undefined {
  // croner's previousRuns answers ticks strictly before the reference: one millisecond later
  // includes a tick at `atMs` itself.
  const [previous] = calendarOf(cron, timeZone).previousRuns(1, new Date(atMs + 1));
  return previous?.getTime();
}
