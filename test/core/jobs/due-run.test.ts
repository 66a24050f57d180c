import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dueRun, isSchedule, nextRunAfter, parseSchedule, type Schedule } from '../../../lib/core/jobs/index.js';

const MINUTE = 60_000;
const at = (hhmm: string, day = 25) => Date.parse(`2026-11-${day}T${hhmm}:00Z`);

function parsed(expression: string): Schedule {
  const result = parseSchedule(expression);
  if (!isSchedule(result)) throw new Error(result.message);
  return result;
}

describe('dueRun', () => {
  const every5 = parsed('rate(5 minutes)');
  const anchor = at('12:00');

  it.each([
    ['before the first tick', undefined, at('12:04'), undefined],
    ['at the first tick', undefined, at('12:05'), at('12:05')],
    ['just after the first tick', undefined, at('12:05') + 1, at('12:05')],
    ['first tick already dispatched', at('12:05'), at('12:07'), undefined],
    ['next tick', at('12:05'), at('12:10'), at('12:10')],
    ['after an outage: only the latest missed tick', at('12:05'), at('12:31'), at('12:30')],
    ['latest missed tick already dispatched', at('12:30'), at('12:34'), undefined],
    ['never dispatched, long after creation: once, for the latest tick', undefined, at('18:02'), at('18:00')],
  ])('rate(5 minutes) from 12:00, %s', (_, last, now, expected) => {
    expect(dueRun(every5, last, anchor, now)).toEqual(expected === undefined ? undefined : { tick: expected });
  });

  const daily = parsed('cron(0 10 * * ? *)');

  it('does not run a cron tick that passed before the job existed', () => {
    expect(dueRun(daily, undefined, at('10:30'), at('10:45'))).toBeUndefined();
    expect(dueRun(daily, undefined, at('10:30'), at('10:00', 26))).toEqual({ tick: at('10:00', 26) });
  });

  it('runs a missed cron window once, for its latest tick', () => {
    expect(dueRun(daily, at('10:00', 25), at('09:00', 20), at('11:00', 28))).toEqual({ tick: at('10:00', 28) });
    expect(dueRun(daily, at('10:00', 28), at('09:00', 20), at('09:59', 29))).toBeUndefined();
  });

  it('ignores ticks before a newer anchor, as after a schedule change', () => {
    const quarter = parsed('cron(0/15 * * * ? *)');
    // Dispatched 11:45; schedule changed at 12:05, so 12:00 is not owed.
    expect(dueRun(quarter, at('11:45'), at('12:05'), at('12:10'))).toBeUndefined();
    expect(dueRun(quarter, at('11:45'), at('12:05'), at('12:15'))).toEqual({ tick: at('12:15') });
  });

  it('runs each tick at most once, and whatever came since the last check once, for its latest tick', () => {
    const schedules = ['rate(1 minute)', 'rate(7 minutes)', 'cron(0/5 * * * ? *)', 'cron(0/10 8-17 ? * MON-FRI *)'].map(parsed);
    fc.assert(
      fc.property(
        fc.constantFrom(...schedules),
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 60 }),
        (schedule, anchorOffset, gaps) => {
          const anchorMs = at('00:00', 23) + anchorOffset * MINUTE + 17_000;
          let now = anchorMs;
          let last: number | undefined;
          for (const gap of gaps) {
            now += gap * MINUTE;
            const due = dueRun(schedule, last, anchorMs, now);
            const firstOwed = nextRunAfter(schedule, last ?? anchorMs, anchorMs);
            if (firstOwed === undefined || firstOwed > now) {
              expect(due).toBeUndefined();
              continue;
            }
            expect(due).toBeDefined();
            const tick = due!.tick;
            // A real tick, not yet run, not in the future, and the latest one so far.
            expect(nextRunAfter(schedule, tick - 1, anchorMs)).toBe(tick);
            expect(tick).toBeGreaterThanOrEqual(firstOwed);
            expect(tick).toBeLessThanOrEqual(now);
            expect(nextRunAfter(schedule, tick, anchorMs)!).toBeGreaterThan(now);
            last = tick;
          }
        },
      ),
    );
  });

  it('with a check every minute, dispatches the same ticks as the schedule lists', () => {
    const schedule = parsed('cron(0/10 8-17 ? * MON-FRI *)');
    const anchorMs = at('07:00', 27); // Friday
    const dispatched: number[] = [];
    let last: number | undefined;
    for (let now = anchorMs; now <= at('09:00', 30); now += MINUTE) {
      const due = dueRun(schedule, last, anchorMs, now);
      if (due) dispatched.push((last = due.tick));
    }
    const listed: number[] = [];
    for (let t = nextRunAfter(schedule, anchorMs, anchorMs); t !== undefined && t <= at('09:00', 30); t = nextRunAfter(schedule, t, anchorMs)) {
      listed.push(t);
    }
    expect(dispatched).toEqual(listed);
    expect(dispatched).toHaveLength(60 + 7); // Friday 08:00-17:50, Monday 08:00-09:00
  });
});
