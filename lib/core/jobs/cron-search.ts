import {
  daysInMonth,
  fieldsOf,
  instantOf,
  MINUTE_MS,
  SATURDAY,
  SUNDAY,
  weekdayOf,
  type MinuteFields,
} from './calendar.js';
import type { CronSchedule, DayOfMonthRule, DayOfWeekRule } from './cron.js';

/** The first minute strictly after `afterMs` that the schedule matches, or undefined after 2199. */
export function nextCronAfter(cron: CronSchedule, afterMs: number): number | undefined {
  const firstCandidate = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  return search(cron, fieldsOf(firstCandidate), 1);
}

/** The last minute at or before `atMs` that the schedule matches, or undefined before its first. */
export function previousCronAtOrBefore(cron: CronSchedule, atMs: number): number | undefined {
  return search(cron, fieldsOf(Math.floor(atMs / MINUTE_MS) * MINUTE_MS), -1);
}

/**
 * Walks the allowed values field by field, largest unit first, in `direction`. While every
 * larger field still equals the bound's, a field may not pass the bound's value ("tight");
 * once one field has moved past, every smaller field is free to take any allowed value.
 * Example, forward from 2026-11-27 19:00 (a Friday) for cron(0 18 ? * MON-FRI *): November's
 * candidate days from the 27th are 27 and 30; on the 27th (tight) hour 18 is before 19, so the
 * 27th fails; the 30th is past the bound, so hour 18 minute 0 is free: 2026-11-30 18:00.
 */
function search(cron: CronSchedule, bound: MinuteFields, direction: 1 | -1): number | undefined {
  const inOrder = (values: readonly number[]) => (direction === 1 ? values : [...values].reverse());
  const passes = (value: number, limit: number) => (direction === 1 ? value < limit : value > limit);
  for (const year of inOrder(cron.years)) {
    if (passes(year, bound.year)) continue;
    const yearTight = year === bound.year;
    for (const month of inOrder(cron.months)) {
      if (yearTight && passes(month, bound.month)) continue;
      const monthTight = yearTight && month === bound.month;
      for (const day of inOrder(daysMatching(cron.day, year, month))) {
        if (monthTight && passes(day, bound.day)) continue;
        const dayTight = monthTight && day === bound.day;
        for (const hour of inOrder(cron.hours)) {
          if (dayTight && passes(hour, bound.hour)) continue;
          const hourTight = dayTight && hour === bound.hour;
          for (const minute of inOrder(cron.minutes)) {
            if (hourTight && passes(minute, bound.minute)) continue;
            return instantOf({ year, month, day, hour, minute });
          }
        }
      }
    }
  }
  return undefined;
}

/** The days of `month` in `year` the day rule picks, ascending. */
function daysMatching(day: CronSchedule['day'], year: number, month: number): number[] {
  const length = daysInMonth(year, month);
  return day.field === 'day-of-month'
    ? dayOfMonthDays(day.rule, year, month, length)
    : dayOfWeekDays(day.rule, year, month, length);
}

function dayOfMonthDays(rule: DayOfMonthRule, year: number, month: number, length: number): number[] {
  switch (rule.kind) {
    case 'days':
      return rule.days.filter((d) => d <= length);
    case 'last':
      return [length];
    case 'lastWeekday':
      return [nearestWeekday(year, month, length, length)];
    case 'nearestWeekday':
      return rule.day <= length ? [nearestWeekday(year, month, rule.day, length)] : [];
  }
}

/**
 * The weekday nearest `day` within the month: a Saturday moves to Friday and a Sunday to
 * Monday, except at the month's edges, which are never crossed. The 1st on a Saturday gives
 * Monday the 3rd; the 31st on a Sunday gives Friday the 29th.
 */
function nearestWeekday(year: number, month: number, day: number, length: number): number {
  const weekday = weekdayOf(year, month, day);
  if (weekday === SATURDAY) return day === 1 ? day + 2 : day - 1;
  if (weekday === SUNDAY) return day === length ? day - 2 : day + 1;
  return day;
}

function dayOfWeekDays(rule: DayOfWeekRule, year: number, month: number, length: number): number[] {
  const days: number[] = [];
  for (let d = 1; d <= length; d++) {
    const weekday = weekdayOf(year, month, d);
    if (rule.kind === 'weekdays' ? rule.weekdays.includes(weekday) : weekday === rule.weekday) days.push(d);
  }
  switch (rule.kind) {
    case 'weekdays':
      return days;
    case 'lastInMonth':
      return days.slice(-1);
    case 'nth':
      return rule.nth <= days.length ? [days[rule.nth - 1]] : [];
  }
}
