import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isSchedule, nextRunAfter, parseSchedule, previousRunAtOrBefore, type Schedule } from '../../../lib/core/jobs/index.js';

const MINUTE = 60_000;
const at = (iso: string) => Date.parse(`${iso}Z`);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString().slice(0, 16));

function parsed(expression: string): Schedule {
  const result = parseSchedule(expression);
  if (!isSchedule(result)) throw new Error(result.message);
  return result;
}

/** The next `count` ticks after `from`, as "YYYY-MM-DDTHH:MM" (UTC). */
function ticks(expression: string, from: string, count = 3, anchor = 0): Array<string | undefined> {
  const schedule = parsed(expression);
  const out: Array<string | undefined> = [];
  let t: number | undefined = at(from);
  for (let i = 0; i < count && t !== undefined; i++) {
    t = nextRunAfter(schedule, t, anchor);
    out.push(iso(t));
  }
  return out;
}

// 2026-11-25 is a Wednesday; 2026-11-27 a Friday; 2026-11-30 a Monday.
describe('nextRunAfter: EventBridge documentation examples', () => {
  it.each([
    ['cron(0 10 * * ? *)', '2026-11-25T23:30', ['2026-11-26T10:00', '2026-11-27T10:00', '2026-11-28T10:00']],
    ['cron(15 12 * * ? *)', '2026-11-25T23:30', ['2026-11-26T12:15', '2026-11-27T12:15', '2026-11-28T12:15']],
    ['cron(0 18 ? * MON-FRI *)', '2026-11-25T23:30', ['2026-11-26T18:00', '2026-11-27T18:00', '2026-11-30T18:00']],
    ['cron(0 8 1 * ? *)', '2026-11-25T23:30', ['2026-12-01T08:00', '2027-01-01T08:00', '2027-02-01T08:00']],
    ['cron(0/15 * * * ? *)', '2026-11-25T23:30', ['2026-11-25T23:45', '2026-11-26T00:00', '2026-11-26T00:15']],
    ['cron(0/10 * ? * MON-FRI *)', '2026-11-25T23:30', ['2026-11-25T23:40', '2026-11-25T23:50', '2026-11-26T00:00']],
    ['cron(0/10 * ? * MON-FRI *)', '2026-11-27T23:45', ['2026-11-27T23:50', '2026-11-30T00:00', '2026-11-30T00:10']],
    ['cron(0/5 8-17 ? * MON-FRI *)', '2026-11-25T23:30', ['2026-11-26T08:00', '2026-11-26T08:05', '2026-11-26T08:10']],
    ['cron(0/5 8-17 ? * MON-FRI *)', '2026-11-27T17:50', ['2026-11-27T17:55', '2026-11-30T08:00', '2026-11-30T08:05']],
    ['cron(0 9 ? * 2#1 *)', '2026-11-25T23:30', ['2026-12-07T09:00', '2027-01-04T09:00', '2027-02-01T09:00']],
  ])('%s after %s', (expression, from, expected) => {
    expect(ticks(expression, from)).toEqual(expected);
  });
});

describe('nextRunAfter: calendar cases', () => {
  it.each([
    ['last day of the month', 'cron(0 0 L * ? *)', '2026-01-15T00:00', ['2026-01-31T00:00', '2026-02-28T00:00', '2026-03-31T00:00']],
    ['last day of a leap February', 'cron(0 0 L 2 ? *)', '2027-03-01T00:00', ['2028-02-29T00:00', '2029-02-28T00:00']],
    ['the 29th of February only', 'cron(0 0 29 2 ? *)', '2026-03-01T00:00', ['2028-02-29T00:00', '2032-02-29T00:00']],
    ['last weekday, month ending on a Saturday', 'cron(0 0 LW * ? *)', '2026-01-01T00:00', ['2026-01-30T00:00', '2026-02-27T00:00']],
    ['nearest weekday to the 1st, a Saturday: Monday the 3rd', 'cron(0 0 1W * ? *)', '2026-07-15T00:00', ['2026-08-03T00:00', '2026-09-01T00:00']],
    ['nearest weekday to the 31st, a Sunday: Friday the 29th, skipping 30-day June', 'cron(0 0 31W * ? *)', '2026-05-01T00:00', ['2026-05-29T00:00', '2026-07-31T00:00']],
    ['nearest weekday to the 15th, a Sunday: Monday the 16th', 'cron(0 0 15W * ? *)', '2026-11-01T00:00', ['2026-11-16T00:00', '2026-12-15T00:00']],
    ['last Friday of the month', 'cron(0 0 ? * 6L *)', '2026-11-25T00:00', ['2026-11-27T00:00', '2026-12-25T00:00', '2027-01-29T00:00']],
    ['"L" alone in day-of-week: every Saturday', 'cron(0 0 ? * L *)', '2026-11-25T00:00', ['2026-11-28T00:00', '2026-12-05T00:00']],
    ['fifth Friday, only in months that have one', 'cron(0 12 ? * 6#5 *)', '2026-11-25T00:00', ['2027-01-29T12:00']],
    ['listed years, then none', 'cron(0 0 1 1 ? 2027,2030)', '2026-11-25T00:00', ['2027-01-01T00:00', '2030-01-01T00:00', undefined]],
    ['the very last minute EventBridge allows', 'cron(59 23 31 12 ? 2199)', '2199-12-31T23:58', ['2199-12-31T23:59', undefined]],
    ['month names', 'cron(30 6 1 jan,JUL ? *)', '2026-02-01T00:00', ['2026-07-01T06:30', '2027-01-01T06:30']],
  ])('%s', (_, expression, from, expected) => {
    expect(ticks(expression, from, expected.length)).toEqual(expected);
  });

  it('is strictly after the given instant, even within the tick minute', () => {
    const daily = parsed('cron(0 10 * * ? *)');
    expect(iso(nextRunAfter(daily, at('2026-11-26T10:00'), 0))).toBe('2026-11-27T10:00');
    expect(iso(nextRunAfter(daily, at('2026-11-26T10:00') + 30_000, 0))).toBe('2026-11-27T10:00');
    expect(iso(nextRunAfter(daily, at('2026-11-26T10:00') - 1, 0))).toBe('2026-11-26T10:00');
  });

  it('ignores the anchor for cron schedules', () => {
    const daily = parsed('cron(0 10 * * ? *)');
    expect(nextRunAfter(daily, at('2026-11-25T00:00'), at('2026-11-25T09:59'))).toBe(at('2026-11-25T10:00'));
  });
});

describe('nextRunAfter: rate schedules count from the anchor', () => {
  const anchor = at('2026-11-25T12:00') + 30_000; // created at 12:00:30

  it.each([
    ['rate(5 minutes)', -10 * MINUTE, 5 * MINUTE],
    ['rate(5 minutes)', 0, 5 * MINUTE],
    ['rate(5 minutes)', 5 * MINUTE - 1, 5 * MINUTE],
    ['rate(5 minutes)', 5 * MINUTE, 10 * MINUTE],
    ['rate(1 minute)', 90 * MINUTE + 1, 91 * MINUTE],
    ['rate(1 hour)', 1, 60 * MINUTE],
    ['rate(2 days)', 3 * 24 * 60 * MINUTE, 4 * 24 * 60 * MINUTE],
  ])('%s after anchor + %i ms: anchor + %i ms', (expression, after, expected) => {
    expect(nextRunAfter(parsed(expression), anchor + after, anchor)).toBe(anchor + expected);
  });

  it('has no tick at or before the anchor', () => {
    expect(previousRunAtOrBefore(parsed('rate(5 minutes)'), anchor + 5 * MINUTE - 1, anchor)).toBeUndefined();
    expect(previousRunAtOrBefore(parsed('rate(5 minutes)'), anchor + 5 * MINUTE, anchor)).toBe(anchor + 5 * MINUTE);
  });
});

/**
 * An independent, slow oracle for plain cron fields (numbers, ranges, increments, lists, "*"):
 * checks one minute against the fields directly.
 */
function plainMatches(fields: { minutes: number[]; hours: number[]; days: number[] | '?'; weekdays: number[] | '?'; months: number[] }, ms: number): boolean {
  const d = new Date(ms);
  return (
    fields.minutes.includes(d.getUTCMinutes()) &&
    fields.hours.includes(d.getUTCHours()) &&
    fields.months.includes(d.getUTCMonth() + 1) &&
    (fields.days === '?' || fields.days.includes(d.getUTCDate())) &&
    (fields.weekdays === '?' || fields.weekdays.includes(d.getUTCDay() + 1))
  );
}

/** A random plain cron field over min..max, with its text and the values it stands for. */
function field(min: number, max: number, increments = true) {
  const plain = [
    fc.constant({ text: '*', values: range(min, max, 1) }),
    fc.integer({ min, max }).map((v) => ({ text: `${v}`, values: [v] })),
    fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      return { text: `${lo}-${hi}`, values: range(lo, hi, 1) };
    }),
    fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 4 }).map((vs) => ({ text: vs.join(','), values: vs })),
  ];
  const stepped = fc
    .tuple(fc.integer({ min, max }), fc.integer({ min: 1, max: max - min + 1 }))
    .map(([start, step]) => ({ text: `${start}/${step}`, values: range(start, max, step) }));
  return fc.oneof(...plain, ...(increments ? [stepped] : []));
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

describe('nextRunAfter against a minute-by-minute oracle', () => {
  it('finds the first matching minute after any instant', () => {
    fc.assert(
      fc.property(
        field(0, 59),
        field(0, 23),
        fc.boolean(),
        field(1, 7, false),
        fc.integer({ min: at('2026-01-01T00:00'), max: at('2030-12-31T00:00') }),
        (minutes, hours, byWeekday, weekdays, from) => {
          // Every day (day-of-month "*") or some weekdays: a match always comes within 8 days.
          const expression = `cron(${minutes.text} ${hours.text} ${byWeekday ? '?' : '*'} * ${byWeekday ? weekdays.text : '?'} *)`;
          const fields = {
            minutes: minutes.values,
            hours: hours.values,
            days: byWeekday ? ('?' as const) : range(1, 31, 1),
            weekdays: byWeekday ? weekdays.values : ('?' as const),
            months: range(1, 12, 1),
          };
          let expected = Math.floor(from / MINUTE) * MINUTE + MINUTE;
          while (!plainMatches(fields, expected)) expected += MINUTE;
          const schedule = parsed(expression);
          expect(iso(nextRunAfter(schedule, from, 0)), expression).toBe(iso(expected));
          expect(iso(previousRunAtOrBefore(schedule, expected + MINUTE - 1, 0)), expression).toBe(iso(expected));
          expect(previousRunAtOrBefore(schedule, expected - 1, 0) ?? -Infinity).toBeLessThanOrEqual(from);
        },
      ),
      { numRuns: 150 },
    );
  });
});
