import type { FieldError } from '../spec/field-error.js';
import { nextCronAfter } from './cron-calendar.js';

/** Which days of a month a day-of-month field picks. */
export type DayOfMonthRule =
  /** Listed days ("1,15", "1-7", "*"); days past the month's end never match. */
  | { kind: 'days'; days: readonly number[] }
  /** "L": the last day of the month. */
  | { kind: 'last' }
  /** "LW": the last weekday (Monday to Friday) of the month. */
  | { kind: 'lastWeekday' }
  /** "15W": the weekday nearest the 15th, never crossing into another month. */
  | { kind: 'nearestWeekday'; day: number };

/** Which days of a month a day-of-week field picks (1 = Sunday … 7 = Saturday). */
export type DayOfWeekRule =
  /** Listed weekdays ("MON-FRI", "1,7", "*"; "L" alone is Saturday, the week's last day). */
  | { kind: 'weekdays'; weekdays: readonly number[] }
  /** "6L": the last Friday of the month. */
  | { kind: 'lastInMonth'; weekday: number }
  /** "2#1": the first Monday of the month. */
  | { kind: 'nth'; weekday: number; nth: number };

/**
 * A parsed `cron(minutes hours day-of-month month day-of-week year)`: the fields as read, and the
 * same schedule as a croner pattern (cron-calendar.ts does the calendar arithmetic). A cron
 * schedule names local wall-clock times of the job's time zone.
 */
export interface CronSchedule {
  kind: 'cron';
  expression: string;
  /** `second minute hour day-of-month month day-of-week year`, for croner (see cronerPattern). */
  pattern: string;
  /** Ascending lists of the values each field allows. */
  minutes: readonly number[];
  hours: readonly number[];
  months: readonly number[];
  years: readonly number[];
  /** The one of day-of-month and day-of-week that is not "?". */
  day: { field: 'day-of-month'; rule: DayOfMonthRule } | { field: 'day-of-week'; rule: DayOfWeekRule };
}

type CronFields = Omit<CronSchedule, 'kind' | 'expression' | 'pattern'>;

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Whether the field takes "/" increments (EventBridge: all but day-of-week). */
  increments: boolean;
}

const minutesField: FieldSpec = { name: 'minutes', min: 0, max: 59, increments: true };
const hoursField: FieldSpec = { name: 'hours', min: 0, max: 23, increments: true };
const dayOfMonthField: FieldSpec = { name: 'day-of-month', min: 1, max: 31, increments: true };
const monthField: FieldSpec = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  increments: true,
};
const dayOfWeekField: FieldSpec = {
  name: 'day-of-week',
  min: 1,
  max: 7,
  names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
  increments: false,
};
const yearField: FieldSpec = { name: 'year', min: 1970, max: 2199, increments: true };

class CronSyntaxError extends Error {
  override name = 'CronSyntaxError';
}

/**
 * Parses an EventBridge cron expression: six fields separated by white space, "?" in exactly
 * one of day-of-month and day-of-week, "," lists, "-" ranges, "/" increments, "*", L, W and #,
 * month names JAN-DEC and day names SUN-SAT (any case). Rejects expressions EventBridge would
 * reject, and ones that match no date at all (such as the 30th of February).
 */
export function parseCron(expression: string): CronSchedule | FieldError {
  try {
    const schedule = parse(expression);
    if (nextCronAfter(schedule, Date.UTC(yearField.min, 0, 1) - 1) === undefined) {
      throw new CronSyntaxError('never matches a date between 1970 and 2199');
    }
    return schedule;
  } catch (error) {
    if (!(error instanceof CronSyntaxError)) throw error;
    return { field: 'schedule', message: `${expression}: ${error.message}` };
  }
}

function parse(expression: string): CronSchedule {
  const match = /^cron\((.*)\)$/s.exec(expression);
  if (match === null) throw new CronSyntaxError('must be cron(minutes hours day-of-month month day-of-week year)');
  const fields = match[1].trim().split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 6) {
    throw new CronSyntaxError(
      `must have 6 fields (minutes hours day-of-month month day-of-week year), not ${fields.length}`,
    );
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields;
  const domAny = dayOfMonth === '?';
  const dowAny = dayOfWeek === '?';
  if (domAny && dowAny) throw new CronSyntaxError('only one of day-of-month and day-of-week can be "?"');
  if (!domAny && !dowAny) {
    throw new CronSyntaxError('day-of-month and day-of-week cannot both be set: use "?" in one of them');
  }
  const read: CronFields = {
    minutes: parseList(minutes, minutesField),
    hours: parseList(hours, hoursField),
    months: parseList(month, monthField),
    years: parseList(year, yearField),
    day: domAny
      ? { field: 'day-of-week', rule: parseDayOfWeek(dayOfWeek) }
      : { field: 'day-of-month', rule: parseDayOfMonth(dayOfMonth) },
  };
  return { kind: 'cron', expression, pattern: cronerPattern(read), ...read };
}

/**
 * The croner pattern of a parsed EventBridge cron: all that differs between the two syntaxes is
 * settled here, so croner sees plain lists.
 * - Minutes and hours are spelled out as lists ("0/15" → "0,15,30,45"): croner then treats every
 *   schedule as fixed wall-clock times, which gives the daylight saving rule of cron-calendar.ts
 *   (a `*` or step would make it an interval job that runs a repeated hour twice).
 * - "?" becomes "*" with day-of-month AND day-of-week (croner's domAndDow): the other field rules.
 * - Weekdays go by name: EventBridge counts 1 = Sunday, croner 0 = Sunday. "6L" is croner's
 *   "FRI#L", "2#1" its "MON#1"; a lone "L" (Saturday) arrives here as weekday 7.
 * - The year field is croner's seventh; seconds are always 0.
 * Example: cron(0/30 9-10 ? * 6L 2027) → "0 0,30 9,10 * 1,2,…,12 FRI#L 2027".
 */
function cronerPattern(read: CronFields): string {
  const dayOfMonth = read.day.field === 'day-of-month' ? dayOfMonthPattern(read.day.rule) : '*';
  const dayOfWeek = read.day.field === 'day-of-week' ? dayOfWeekPattern(read.day.rule) : '*';
  const everyYear = read.years.length === yearField.max - yearField.min + 1;
  return ['0', read.minutes.join(','), read.hours.join(','), dayOfMonth, read.months.join(','), dayOfWeek, everyYear ? '*' : read.years.join(',')].join(' ');
}

function dayOfMonthPattern(rule: DayOfMonthRule): string {
  switch (rule.kind) {
    case 'days':
      return rule.days.join(',');
    case 'last':
      return 'L';
    case 'lastWeekday':
      return 'LW';
    case 'nearestWeekday':
      return `${rule.day}W`;
  }
}

function dayOfWeekPattern(rule: DayOfWeekRule): string {
  const name = (weekday: number) => dayOfWeekField.names![weekday - 1];
  switch (rule.kind) {
    case 'weekdays':
      return rule.weekdays.map(name).join(',');
    case 'lastInMonth':
      return `${name(rule.weekday)}#L`;
    case 'nth':
      return `${name(rule.weekday)}#${rule.nth}`;
  }
}

function parseDayOfMonth(text: string): DayOfMonthRule {
  const upper = text.toUpperCase();
  if (upper === 'L') return { kind: 'last' };
  if (upper === 'LW') return { kind: 'lastWeekday' };
  const nearest = /^(\d+)W$/.exec(upper);
  if (nearest !== null) return { kind: 'nearestWeekday', day: parseValue(nearest[1], dayOfMonthField) };
  if (/[LW]/.test(upper)) {
    throw new CronSyntaxError(`day-of-month "${text}": L, LW and nW must stand alone (e.g. "L" or "15W")`);
  }
  return { kind: 'days', days: parseList(text, dayOfMonthField) };
}

function parseDayOfWeek(text: string): DayOfWeekRule {
  const upper = text.toUpperCase();
  if (upper === 'L') return { kind: 'weekdays', weekdays: [dayOfWeekField.max] };
  const last = /^([^,#/-]+)L$/.exec(upper);
  if (last !== null) return { kind: 'lastInMonth', weekday: parseValue(last[1], dayOfWeekField) };
  const nth = /^([^,#/-]+)#(\d+)$/.exec(upper);
  if (nth !== null) {
    const n = Number(nth[2]);
    if (n < 1 || n > 5) throw new CronSyntaxError(`day-of-week "${text}": the number after # must be 1 to 5`);
    return { kind: 'nth', weekday: parseValue(nth[1], dayOfWeekField), nth: n };
  }
  if (upper.includes('#') || upper.includes('L')) {
    throw new CronSyntaxError(
      `day-of-week "${text}": # and L must stand alone (e.g. "2#1" or "6L"; "3#1,6#3" is two expressions)`,
    );
  }
  return { kind: 'weekdays', weekdays: parseList(text, dayOfWeekField) };
}

/** "*", or a "," list of values, ranges "a-b", and increments "a/n", "a-b/n", "*\/n". */
function parseList(text: string, spec: FieldSpec): number[] {
  if (text === '?') throw new CronSyntaxError(`${spec.name}: "?" is only allowed in day-of-month or day-of-week`);
  const values = new Set<number>();
  for (const item of text.split(',')) {
    for (const value of parseItem(item, spec)) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

function parseItem(item: string, spec: FieldSpec): number[] {
  if (item === '') throw new CronSyntaxError(`${spec.name}: empty item in a "," list`);
  const [base, increment, ...more] = item.split('/');
  if (more.length > 0) throw new CronSyntaxError(`${spec.name} "${item}": more than one "/"`);
  let step = 1;
  if (increment !== undefined) {
    if (!spec.increments) throw new CronSyntaxError(`${spec.name} "${item}": ${spec.name} takes no "/" increments`);
    step = Number(increment);
    if (!/^\d+$/.test(increment) || step < 1 || step > spec.max - spec.min + 1) {
      throw new CronSyntaxError(
        `${spec.name} "${item}": the increment must be a whole number from 1 to ${spec.max - spec.min + 1}`,
      );
    }
  }
  let from: number;
  let to: number;
  if (base === '*') {
    [from, to] = [spec.min, spec.max];
  } else {
    const [first, last, ...rest] = base.split('-');
    if (rest.length > 0) throw new CronSyntaxError(`${spec.name} "${item}": a range has one "-"`);
    from = parseValue(first, spec);
    if (last !== undefined) {
      to = parseValue(last, spec);
      if (to < from) throw new CronSyntaxError(`${spec.name} "${item}": the range runs backwards`);
    } else {
      // "5/15" in minutes means 5, 20, 35, 50: from the value to the field's end.
      to = increment === undefined ? from : spec.max;
    }
  }
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

function parseValue(text: string, spec: FieldSpec): number {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    if (value >= spec.min && value <= spec.max) return value;
    throw new CronSyntaxError(`${spec.name}: ${text} is outside ${spec.min}-${spec.max}`);
  }
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index >= 0) return spec.min + index;
  const allowed = spec.names === undefined ? '' : ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}`;
  throw new CronSyntaxError(`${spec.name}: "${text}" is not a value (${spec.min}-${spec.max}${allowed})`);
}
