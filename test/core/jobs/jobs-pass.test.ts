import { describe, expect, it } from 'vitest';
import { JobsPass, type DispatchOutcome, type JobsPassTrigger, type PassJob } from '../../../lib/core/jobs/index.js';

const minute = 60_000;
const t0 = Date.parse('2027-01-01T12:00:00.000Z');

/** A rate(1 minute) job created at `anchor`: its ticks are anchor + k minutes. */
const everyMinute = (name: string, anchor: number, extra: Partial<PassJob> = {}): PassJob => ({
  name, schedule: 'rate(1 minute)', scheduleAnchor: anchor, timeZone: 'UTC', deleting: false, ...extra,
});

/** Plays a pass: each dispatch takes `costMs`; answers the jobs in the order dispatched, with when. */
function play(pass: JobsPass, start: number, costMs: number, outcome: (name: string, at: number) => DispatchOutcome = () => ({ removed: false })): [string, number][] {
  const order: [string, number][] = [];
  for (let now = start, name = pass.next(now); name !== undefined; name = pass.next(now)) {
    order.push([name, now]);
    pass.dispatched(name, now, outcome(name, now));
    now += costMs;
    if (order.length > 1_000) throw new Error('the pass does not end');
  }
  return order;
}

const wakeUp = (at: number): JobsPassTrigger => ({ kind: 'wake-up', at, owedFrom: at });

describe('the jobs pass', () => {
  it('on a wake-up dispatches only the job whose tick it is for, however many others there are', () => {
    // 200 jobs ticking 300 ms apart, all of them ticked within the last minute; the wake-up is for job 100's tick.
    const jobs = Array.from({ length: 200 }, (_, i) => everyMinute(`job-${i}`, t0 - minute + i * 300));
    const at = t0 + 100 * 300;
    const pass = new JobsPass(jobs, wakeUp(at), at);
    expect(play(pass, at, 0)).toEqual([['job-100', at]]);
    expect(pass.wakeUpAt()).toBe(at + 300);
  });

  it("dispatches a tick that comes due during the pass next, ahead of the jobs the pass still has to visit", () => {
    // The one-minute tick at 12:01:00 visits 50 jobs at 40 ms each (2 s); job `soon` ticks at 12:01:00.500.
    const others = Array.from({ length: 50 }, (_, i) => everyMinute(`other-${i}`, t0 - 30_000 + i));
    const tick = t0 + minute;
    const pass = new JobsPass([...others, everyMinute('soon', t0 + 500)], { kind: 'tick' }, tick);
    const order = play(pass, tick, 40);
    expect(order).toHaveLength(51);
    const soon = order.find(([name]) => name === 'soon')!;
    // The first dispatch to start at or after its tick: 12:01:00.520 (13 × 40 ms into the pass).
    expect(soon[1]).toBe(tick + 520);
    expect(order.filter(([name]) => name === 'soon')).toHaveLength(1);
  });

  it('on the one-minute tick visits every job once, ticks on the minute first', () => {
    const tick = t0 + minute;
    const jobs = [everyMinute('a', t0 - 20_000), { ...everyMinute('nightly', t0), schedule: 'cron(1 12 * * ? *)' }, everyMinute('b', t0 - 40_000)];
    const pass = new JobsPass(jobs, { kind: 'tick' }, tick);
    expect(play(pass, tick, 10).map(([name]) => name)).toEqual(['nightly', 'a', 'b']);
    // a ticks at 12:01:40 next, b at 12:01:20, nightly tomorrow.
    expect(pass.wakeUpAt()).toBe(t0 + minute + 20_000);
  });

  it('on a wake-up also visits the jobs whose timeouts and deletions only their runs show, after the due job', () => {
    const at = t0 + 10_000;
    const jobs = [
      everyMinute('timed', t0 - 30_000, { timeoutSeconds: 20 }),
      everyMinute('due', t0 + 10_000 - minute),
      everyMinute('gone', t0 - 45_000, { deleting: true }),
      everyMinute('idle', t0 - 5_000),
    ];
    const pass = new JobsPass(jobs, wakeUp(at), at);
    const order = play(pass, at, 5, (name, now) => (name === 'timed' ? { removed: false, wakeUpAt: now + 15_000 } : { removed: name === 'gone' }));
    expect(order.map(([name]) => name)).toEqual(['due', 'timed', 'gone']);
    // The timeout the dispatch of `timed` reported comes before any tick.
    expect(pass.wakeUpAt()).toBe(at + 5 + 15_000);
  });

  it('does not repeat a dispatch that reported the job due again at once (a timeout it could not enforce)', () => {
    const at = t0 + 10_000;
    const pass = new JobsPass([everyMinute('stuck', t0 + 10_000 - minute, { timeoutSeconds: 5 })], wakeUp(at), at);
    expect(play(pass, at, 0, (_, now) => ({ removed: false, wakeUpAt: now }))).toEqual([['stuck', at]]);
    // The next wake-up tries again, at once.
    expect(pass.wakeUpAt()).toBe(at);
  });

  it('a failed dispatch is not retried in the same pass, only at its next tick', () => {
    const at = t0 + 10_000;
    const pass = new JobsPass([everyMinute('flaky', at - minute)], wakeUp(at), at);
    expect(play(pass, at, 100, () => 'failed')).toEqual([['flaky', at]]);
    expect(pass.wakeUpAt()).toBe(at + minute);
  });

  it("owes a wake-up no tick from before its instant, but the start-up catch-up every one, and never the anchor's own", () => {
    const at = t0 + 10_000;
    // Ticked 5 s before this wake-up's instant: the pass that armed it covered that tick.
    const earlier = everyMinute('earlier', t0 + 5_000 - minute);
    const created = everyMinute('created', t0 + 10_000);
    expect(play(new JobsPass([earlier, created], wakeUp(at), at), at, 0)).toEqual([]);
    const catchUp = new JobsPass([earlier, created], { kind: 'wake-up', at, owedFrom: 0 }, at);
    expect(play(catchUp, at, 0)).toEqual([['earlier', at]]);
  });

  it('takes the longest overdue job first when several are due', () => {
    const at = t0 + 10_000;
    const jobs = [everyMinute('late-1', at + 2_000 - minute), everyMinute('late-3', at + 1_000 - minute), everyMinute('late-2', at + 1_500 - minute)];
    const pass = new JobsPass(jobs, wakeUp(at), at + 2_000);
    expect(play(pass, at + 2_000, 0).map(([name]) => name)).toEqual(['late-3', 'late-2', 'late-1']);
  });
});
