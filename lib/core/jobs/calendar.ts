/** UTC calendar arithmetic for schedules. EventBridge schedules are in UTC, and so is this. */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Days in `month` (1-12) of `year`: Date.UTC(y, m, 0) is the last day of month m (1-based). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Day of the week in EventBridge numbering: 1 = Sunday … 7 = Saturday. */
export function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

export const SUNDAY = 1;
export const SATURDAY = 7;

/** A UTC instant split into calendar fields (month 1-12), to the minute. */
export interface MinuteFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export function fieldsOf(ms: number): MinuteFields {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

export function instantOf(f: MinuteFields): number {
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute);
}
