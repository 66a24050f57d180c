import { describe, expect, it } from 'vitest';
import { isSchedule, parseSchedule, type Schedule } from '../../../lib/core/jobs/index.js';

function parsed(expression: string): Schedule {
  const result = parseSchedule(expression);
  if (!isSchedule(result)) throw new Error(result.message);
  return result;
}

describe('parseSchedule: EventBridge documentation examples', () => {
  it.each([
    'cron(0 10 * * ? *)',
    'cron(15 12 * * ? *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 8 1 * ? *)',
    'cron(0/15 * * * ? *)',
    'cron(0/10 * ? * MON-FRI *)',
    'cron(0/5 8-17 ? * MON-FRI *)',
    'cron(0 9 ? * 2#1 *)',
    'cron(1/10 * * * ? *)',
    'cron(0 0 1 JAN,FEB,MAR ? *)',
    'cron(0 0 3W * ? *)',
    'cron(0 0 L * ? *)',
    'cron(0 0 ? * 3#2 *)',
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 hour)',
    'rate(1 day)',
    'rate(2 days)',
  ])('accepts %s', (expression) => {
    expect(parsed(expression).expression).toBe(expression);
  });

  it('reads increments from their start to the end of the field', () => {
    const cron = parsed('cron(0/15 * * * ? *)');
    expect(cron.kind === 'cron' && cron.minutes).toEqual([0, 15, 30, 45]);
    const tenth = parsed('cron(1/10 * * * ? *)');
    expect(tenth.kind === 'cron' && tenth.minutes).toEqual([1, 11, 21, 31, 41, 51]);
  });

  it('reads day and month names in any case, Sunday being 1', () => {
    expect(parsed('cron(0 18 ? * MON-FRI *)')).toMatchObject({ day: { field: 'day-of-week', rule: { kind: 'weekdays', weekdays: [2, 3, 4, 5, 6] } } });
    expect(parsed('cron(0 18 ? * sun,sat *)')).toMatchObject({ day: { rule: { weekdays: [1, 7] } } });
    expect(parsed('cron(0 0 1 jan,Jul,DEC ? *)')).toMatchObject({ months: [1, 7, 12] });
  });

  it('reads ranges with increments and merges overlapping list items', () => {
    expect(parsed('cron(0 8-17/3 * * ? *)')).toMatchObject({ hours: [8, 11, 14, 17] });
    expect(parsed('cron(0 1,1-3,2 * * ? *)')).toMatchObject({ hours: [1, 2, 3] });
    expect(parsed('cron(0 0 1 1 ? 2030/50)')).toMatchObject({ years: [2030, 2080, 2130, 2180] });
  });

  it('reads L, W and #', () => {
    expect(parsed('cron(0 0 L * ? *)')).toMatchObject({ day: { field: 'day-of-month', rule: { kind: 'last' } } });
    expect(parsed('cron(0 0 LW * ? *)')).toMatchObject({ day: { rule: { kind: 'lastWeekday' } } });
    expect(parsed('cron(0 0 15W * ? *)')).toMatchObject({ day: { rule: { kind: 'nearestWeekday', day: 15 } } });
    expect(parsed('cron(0 0 ? * 6L *)')).toMatchObject({ day: { field: 'day-of-week', rule: { kind: 'lastInMonth', weekday: 6 } } });
    expect(parsed('cron(0 0 ? * L *)')).toMatchObject({ day: { rule: { kind: 'weekdays', weekdays: [7] } } });
    expect(parsed('cron(0 9 ? * MON#1 *)')).toMatchObject({ day: { rule: { kind: 'nth', weekday: 2, nth: 1 } } });
  });

  it.each([
    ['rate(1 minute)', 60_000],
    ['rate(5 minutes)', 300_000],
    ['rate(1 hour)', 3_600_000],
    ['rate(2 days)', 172_800_000],
    ['rate( 3  hours )', 10_800_000],
  ])('reads %s as a period of %i ms', (expression, periodMs) => {
    expect(parsed(expression)).toMatchObject({ kind: 'rate', periodMs });
  });
});

describe('parseSchedule: invalid expressions', () => {
  it.each([
    ['every 5 minutes', /must be rate\(value unit\) or cron\(minutes hours day-of-month month day-of-week year\)/],
    ['RATE(1 minute)', /must be rate\(value unit\) or cron/],
    ['cron 0 10 * * ? *', /must be rate\(value unit\) or cron/],
    ['rate(1 minutes)', /use "minute" \(singular\) when the value is 1/],
    ['rate(1 days)', /use "day" \(singular\)/],
    ['rate(5 minute)', /use "minutes" \(plural\) when the value is more than 1/],
    ['rate(0 minutes)', /value "0" must be a positive whole number/],
    ['rate(-1 minutes)', /positive whole number/],
    ['rate(1.5 hours)', /positive whole number/],
    ['rate(2 weeks)', /unit "weeks" must be minute\(s\), hour\(s\) or day\(s\)/],
    ['rate(5minutes)', /must be rate\(value unit\)/],
    ['rate(99999999999999 days)', /too large/],
    ['cron(0 10 * * ?)', /must have 6 fields \(minutes hours day-of-month month day-of-week year\), not 5/],
    ['cron(0 10 * * ? * *)', /not 7/],
    ['cron()', /not 0/],
    ['cron(60 10 * * ? *)', /minutes: 60 is outside 0-59/],
    ['cron(0 24 * * ? *)', /hours: 24 is outside 0-23/],
    ['cron(0 10 0 * ? *)', /day-of-month: 0 is outside 1-31/],
    ['cron(0 10 * 13 ? *)', /month: 13 is outside 1-12/],
    ['cron(0 10 ? * 0 *)', /day-of-week: 0 is outside 1-7/],
    ['cron(0 10 ? * 8 *)', /day-of-week: 8 is outside 1-7/],
    ['cron(0 10 * * ? 1969)', /year: 1969 is outside 1970-2199/],
    ['cron(0 10 * * ? 2200)', /year: 2200 is outside 1970-2199/],
    ['cron(0 10 ? * ? *)', /only one of day-of-month and day-of-week can be "\?"/],
    ['cron(0 10 * * * *)', /day-of-month and day-of-week cannot both be set: use "\?" in one of them/],
    ['cron(0 10 1 * MON *)', /cannot both be set/],
    ['cron(0 ? * * ? *)', /hours: "\?" is only allowed in day-of-month or day-of-week/],
    ['cron(0 10 ? * MON/2 *)', /day-of-week takes no "\/" increments/],
    ['cron(0/0 * * * ? *)', /increment must be a whole number from 1 to 60/],
    ['cron(0/x * * * ? *)', /increment must be a whole number/],
    ['cron(0/5/5 * * * ? *)', /more than one "\/"/],
    ['cron(0 17-8 * * ? *)', /hours "17-8": the range runs backwards/],
    ['cron(0 1-2-3 * * ? *)', /a range has one "-"/],
    ['cron(0 10 1,,2 * ? *)', /empty item/],
    ['cron(0 10 ? * 3#1,6#3 *)', /"3#1,6#3" is two expressions/],
    ['cron(0 10 ? * 2#6 *)', /the number after # must be 1 to 5/],
    ['cron(0 10 ? * 2#0 *)', /the number after # must be 1 to 5/],
    ['cron(0 10 L,15 * ? *)', /L, LW and nW must stand alone/],
    ['cron(0 10 32W * ? *)', /day-of-month: 32 is outside 1-31/],
    ['cron(0 10 * JANUARY ? *)', /month: "JANUARY" is not a value \(1-12 or JAN-DEC\)/],
    ['cron(0 10 * * ? abc)', /year: "abc" is not a value \(1970-2199\)/],
    ['cron(0 10 ? * FUNDAY *)', /"FUNDAY" is not a value \(1-7 or SUN-SAT\)/],
    ['cron(0 0 30 2 ? *)', /never matches a date between 1970 and 2199/],
    ['cron(0 0 31 4,6,9,11 ? *)', /never matches/],
  ])('rejects %s', (expression, message) => {
    const result = parseSchedule(expression);
    expect(isSchedule(result)).toBe(false);
    expect(result).toMatchObject({ field: 'schedule' });
    expect((result as { message: string }).message).toMatch(message);
    expect((result as { message: string }).message.startsWith(expression)).toBe(true);
  });
});
