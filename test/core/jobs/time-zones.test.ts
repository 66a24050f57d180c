import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firesAfter, isSchedule, nextRunAfter, parseSchedule, previousRunAtOrBefore, type Schedule } from '../../../lib/core/jobs/index.js';
import { timeZoneProblems } from '../../../lib/core/jobs/time-zone.js';

function parsed(expression: string): Schedule {
  const result = parseSchedule(expression);
  if (!isSchedule(result)) throw new Error(result.message);
  return result;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString().replace(':00.000Z', 'Z'));

/** The next `count` ticks after `from` (ISO), in UTC ISO minutes. */
function ticks(expression: string, timeZone: string, from: string, count: number): (string | undefined)[] {
  const schedule = parsed(expression);
  const out: (string | undefined)[] = [];
  let after = Date.parse(from);
  for (let i = 0; i < count; i++) {
    const next = nextRunAfter(schedule, after, 0, timeZone);
    out.push(iso(next));
    if (next === undefined) break;
    after = next;
  }
  return out;
}

describe('cron schedules in a time zone, across daylight saving changes', () => {
  it.each([
    // Europe/Berlin springs forward on 2027-03-28 at 02:00 CET to 03:00 CEST: 02:30 does not
    // exist that day and runs at the first instant after the gap, 03:00 CEST.
    ['Berlin spring: 02:30 that day does not exist', 'cron(30 2 28 3 ? 2027)', 'Europe/Berlin', '2027-01-01T00:00Z', ['2027-03-28T01:00Z', undefined]],
    ['Berlin spring, daily 02:30', 'cron(30 2 * * ? *)', 'Europe/Berlin', '2027-03-26T12:00Z', ['2027-03-27T01:30Z', '2027-03-28T01:00Z', '2027-03-29T00:30Z']],
    // Berlin falls back on 2027-10-31 at 03:00 CEST to 02:00 CET: 02:30 happens twice and runs
    // at its first occurrence (CEST, 00:30 UTC) only.
    ['Berlin fall: 02:30 occurs twice', 'cron(30 2 31 10 ? 2027)', 'Europe/Berlin', '2027-01-01T00:00Z', ['2027-10-31T00:30Z', undefined]],
    ['Berlin fall, daily 02:30', 'cron(30 2 * * ? *)', 'Europe/Berlin', '2027-10-30T12:00Z', ['2027-10-31T00:30Z', '2027-11-01T01:30Z']],
    // Every 30 minutes in the repeated hour: 02:00 and 02:30 CEST run, their CET repeats do not.
    ['Berlin fall, every 30 minutes', 'cron(0/30 * * * ? *)', 'Europe/Berlin', '2027-10-30T23:15Z', ['2027-10-30T23:30Z', '2027-10-31T00:00Z', '2027-10-31T00:30Z', '2027-10-31T02:00Z', '2027-10-31T02:30Z']],
    // Every 15 minutes into the spring gap: 02:00-02:45 meet at 03:00 CEST and run once.
    ['Berlin spring, every 15 minutes', 'cron(0/15 * * * ? *)', 'Europe/Berlin', '2027-03-28T00:40Z', ['2027-03-28T00:45Z', '2027-03-28T01:00Z', '2027-03-28T01:15Z']],
    // America/New_York: spring forward 2027-03-14 02:00 EST → 03:00 EDT, fall back 2027-11-07 02:00 EDT → 01:00 EST.
    ['New York spring: 02:30 runs at 03:00 EDT', 'cron(30 2 * * ? *)', 'America/New_York', '2027-03-13T00:00Z', ['2027-03-13T07:30Z', '2027-03-14T07:00Z', '2027-03-15T06:30Z']],
    ['New York fall: 01:30 runs once, in EDT', 'cron(30 1 * * ? *)', 'America/New_York', '2027-11-06T00:00Z', ['2027-11-06T05:30Z', '2027-11-07T05:30Z', '2027-11-08T06:30Z']],
    ['New York weekdays 09:00 keep local time', 'cron(0 9 ? * MON-FRI *)', 'America/New_York', '2027-11-05T00:00Z', ['2027-11-05T13:00Z', '2027-11-08T14:00Z']],
    // Australia/Lord_Howe shifts by 30 minutes: back from +11 to +10:30 on 2027-04-04 at 02:00
    // (01:30-02:00 repeats), forward on 2027-10-03 at 02:00 to 02:30 (02:00-02:30 missing).
    ['Lord Howe fall: 01:45 occurs twice', 'cron(45 1 * * ? *)', 'Australia/Lord_Howe', '2027-04-02T00:00Z', ['2027-04-02T14:45Z', '2027-04-03T14:45Z', '2027-04-04T15:15Z']],
    ['Lord Howe spring: 02:15 does not exist', 'cron(15 2 * * ? *)', 'Australia/Lord_Howe', '2027-10-01T00:00Z', ['2027-10-01T15:45Z', '2027-10-02T15:30Z', '2027-10-03T15:15Z']],
    ['UTC has no daylight saving', 'cron(30 2 * * ? *)', 'UTC', '2027-03-27T12:00Z', ['2027-03-28T02:30Z', '2027-03-29T02:30Z']],
    ['last Friday at 17:00 in Tokyo', 'cron(0 17 ? * 6L 2027)', 'Asia/Tokyo', '2027-01-01T00:00Z', ['2027-01-29T08:00Z', '2027-02-26T08:00Z']],
  ])('%s', (_, expression, timeZone, from, expected) => {
    expect(ticks(expression, timeZone, from, expected.length)).toEqual(expected);
  });

  it('finds the latest tick at or before an instant in the zone', () => {
    const schedule = parsed('cron(30 2 * * ? *)');
    expect(iso(previousRunAtOrBefore(schedule, Date.parse('2027-03-28T12:00Z'), 0, 'Europe/Berlin'))).toBe('2027-03-28T01:00Z');
    expect(iso(previousRunAtOrBefore(schedule, Date.parse('2027-03-28T01:00Z'), 0, 'Europe/Berlin'))).toBe('2027-03-28T01:00Z');
    expect(iso(previousRunAtOrBefore(schedule, Date.parse('2027-03-28T01:00Z') - 1, 0, 'Europe/Berlin'))).toBe('2027-03-27T01:30Z');
    expect(iso(previousRunAtOrBefore(schedule, Date.parse('2027-10-31T01:45Z'), 0, 'Europe/Berlin'))).toBe('2027-10-31T00:30Z');
  });

  it('says whether a schedule fires again', () => {
    expect(firesAfter(parsed('cron(0 0 1 1 ? 2020)'), Date.parse('2026-12-01T00:00Z'))).toBe(false);
    expect(firesAfter(parsed('cron(0 0 1 1 ? 2020,2030)'), Date.parse('2026-12-01T00:00Z'))).toBe(true);
    expect(firesAfter(parsed('rate(5 minutes)'), Date.parse('2026-12-01T00:00Z'))).toBe(true);
  });
});

describe('rate schedules are fixed intervals of absolute time, daylight saving or not', () => {
  it.each([
    ['rate(1 hour)', 'Europe/Berlin', '2027-03-28T00:30Z', ['2027-03-28T01:30Z', '2027-03-28T02:30Z', '2027-03-28T03:30Z']],
    ['rate(1 hour)', 'Europe/Berlin', '2027-10-31T00:30Z', ['2027-10-31T01:30Z', '2027-10-31T02:30Z']],
    ['rate(1 day)', 'America/New_York', '2027-03-13T17:00Z', ['2027-03-14T17:00Z', '2027-03-15T17:00Z']],
  ])('%s in %s from %s', (expression, timeZone, anchor, expected) => {
    const schedule = parsed(expression);
    const anchorMs = Date.parse(anchor);
    const out: string[] = [];
    for (let t = anchorMs; out.length < expected.length; ) {
      t = nextRunAfter(schedule, t, anchorMs, timeZone)!;
      out.push(iso(t)!);
    }
    expect(out).toEqual(expected);
  });
});

describe('next runs, any schedule, any zone', () => {
  const expressions = [
    'cron(30 2 * * ? *)', 'cron(0/15 * * * ? *)', 'cron(0 1-3 ? * SUN *)', 'cron(45 1 L * ? *)', 'cron(0 2 ? * 1#2 *)',
    'cron(0,30 0-3 * 3,4,10,11 ? *)', 'rate(1 minute)', 'rate(7 minutes)', 'rate(1 day)',
  ];
  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata', 'Pacific/Chatham'];

  it('is always after now, and strictly increasing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...expressions),
        fc.constantFrom(...zones),
        fc.integer({ min: Date.parse('2026-01-01T00:00Z'), max: Date.parse('2030-12-31T00:00Z') }),
        (expression, zone, now) => {
          const schedule = parsed(expression);
          let previous = now;
          for (let i = 0; i < 12; i++) {
            const next = nextRunAfter(schedule, previous, now - 17_000, zone);
            expect(next).toBeDefined();
            expect(next!).toBeGreaterThan(previous);
            // No tick is skipped between two consecutive answers.
            expect(previousRunAtOrBefore(schedule, next! - 1, now - 17_000, zone) ?? -Infinity).toBeLessThanOrEqual(previous);
            previous = next!;
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('timeZone names', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'])('accepts %s', (zone) => {
    expect(timeZoneProblems(zone)).toEqual([]);
  });
  it.each(['CET', '+02:00', 'Mars/Olympus_Mons', 'europe berlin', ''])('refuses %s', (zone) => {
    const problems = timeZoneProblems(zone);
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toBe('timeZone');
  });
});
