import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueTicks, isSchedule, nextRunAfter, parseSchedule, type Schedule } from '../../../lib/core/jobs/index.js';

const at = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00Z`);

function parsed(expression: string): Schedule {
  const result = parseSchedule(expression);
  if (!isSchedule(result)) throw new Error(result.message);
  return result;
}

const every5 = parsed('rate(5 minutes)');
const base = { anchor: at('12:00'), timeZone: 'UTC', startingDeadlineSeconds: undefined, missedLimit: 10 };
const ticksOf = (due: ReturnType<typeof dueTicks>) => ({ run: due.run, missed: due.missed.map((m) => m.tick) });

describe('dueTicks', () => {
  it.each([
    ['on time', at('12:05'), at('12:10'), undefined, at('12:10'), []],
    ['nothing owed', at('12:05'), at('12:09'), undefined, undefined, []],
    ['after an outage: one catch-up, the rest Missed', at('12:05'), at('12:17'), undefined, at('12:15'), [at('12:10')]],
    ['late but within the deadline', at('12:05'), at('12:10') + 59_000, 60, at('12:10'), []],
    ['past the deadline: Missed, not started late', at('12:05'), at('12:11') + 1, 60, undefined, [at('12:10')]],
    ['after an outage with a deadline: catch-up in time', at('12:05'), at('12:16'), 120, at('12:15'), [at('12:10')]],
    ['after an outage with a deadline: nothing in time', at('12:05'), at('12:17'), 60, undefined, [at('12:15'), at('12:10')]],
  ])('%s', (_, last, now, deadline, run, missed) => {
    const due = dueTicks(every5, { ...base, lastScheduledTick: last, now, startingDeadlineSeconds: deadline });
    expect(ticksOf(due)).toEqual({ run, missed });
  });

  it('says why a tick was missed', () => {
    const late = dueTicks(every5, { ...base, lastScheduledTick: at('12:05'), now: at('12:17'), startingDeadlineSeconds: 60 });
    expect(late.missed[0].reason).toBe('not started: the dispatcher reached this tick 120 s after it, past startingDeadlineSeconds (60)');
    const caughtUp = dueTicks(every5, { ...base, lastScheduledTick: at('12:05'), now: at('12:17') });
    expect(caughtUp.missed[0].reason).toContain('only the newest missed tick runs, 2026-11-25T12:15:00.000Z');
  });

  it('lists at most missedLimit ticks and sums up the older ones', () => {
    const due = dueTicks(parsed('rate(1 minute)'), { ...base, lastScheduledTick: undefined, now: at('18:00') + 5_000, missedLimit: 3 });
    expect(ticksOf(due)).toEqual({ run: at('18:00'), missed: [at('17:59'), at('17:58'), at('17:57')] });
    expect(due.missed[2].reason).toContain('earlier ticks back to 2026-11-25T12:00:00.000Z were missed too');
  });

  it('accounts for every owed tick exactly once: run or Missed, never both, never twice', () => {
    const schedules = ['rate(1 minute)', 'rate(7 minutes)', 'cron(0/5 * * * ? *)', 'cron(30 2 * * ? *)'].map(parsed);
    fc.assert(
      fc.property(
        fc.constantFrom(...schedules),
        fc.constantFrom('UTC', 'Europe/Berlin', 'Australia/Lord_Howe'),
        fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }),
        fc.array(fc.integer({ min: 1, max: 40 * 60 }), { minLength: 1, maxLength: 40 }),
        (schedule, timeZone, deadline, gapsSeconds) => {
          const anchor = Date.parse('2027-03-27T22:00:17Z');
          let now = anchor;
          let last: number | undefined;
          const seen: number[] = [];
          for (const gap of gapsSeconds) {
            now += gap * 1000;
            const due = dueTicks(schedule, { anchor, now, timeZone, lastScheduledTick: last, startingDeadlineSeconds: deadline, missedLimit: 10_000 });
            const accounted = [...(due.run === undefined ? [] : [due.run]), ...due.missed.map((m) => m.tick)].sort((a, b) => a - b);
            const owed: number[] = [];
            for (let t = nextRunAfter(schedule, last ?? anchor, anchor, timeZone); t !== undefined && t <= now; t = nextRunAfter(schedule, t, anchor, timeZone)) owed.push(t);
            expect(accounted).toEqual(owed);
            if (due.run !== undefined) {
              expect(due.run).toBe(owed[owed.length - 1]);
              if (deadline !== undefined) expect(now - due.run).toBeLessThanOrEqual(deadline * 1000);
            }
            seen.push(...accounted);
            if (accounted.length > 0) last = accounted[accounted.length - 1];
          }
          expect(new Set(seen).size).toBe(seen.length);
        },
      ),
      { numRuns: 150 },
    );
  });
});
