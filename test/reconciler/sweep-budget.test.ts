import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../lib/local/virtual-clock.js';
import { SweepBudget } from '../../lib/reconciler/sweep-budget.js';

/** Runs the clock's timers until `work` settles; answers the time it took. */
async function timed<T>(clock: VirtualClock, work: Promise<T>): Promise<{ value: T; ms: number }> {
  const start = clock.now();
  let settled = false;
  const done = work.then((value) => { settled = true; return value; });
  for (let i = 0; i < 10_000 && !settled; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    const next = clock.nextTimerAt();
    if (next !== undefined) clock.advanceTo(next);
  }
  return { value: await done, ms: clock.now() - start };
}

describe('the sweep budget', () => {
  it('lets the burst through at once, then one read per refill interval', async () => {
    const clock = new VirtualClock();
    const budget = new SweepBudget(clock, { pace: { capacity: 50, refillPerSecond: 16 }, deadlineMs: 45_000 });
    expect(budget.maxCalls).toBe(770);
    const burst = await timed(clock, Promise.all(Array.from({ length: 50 }, () => budget.take())));
    expect(burst.ms).toBe(0);
    // 16 more need a second of refill: 62.5 ms each.
    const more = await timed(clock, Promise.all(Array.from({ length: 16 }, () => budget.take())));
    expect(more.value.every(Boolean)).toBe(true);
    expect(more.ms).toBeGreaterThanOrEqual(990);
    expect(more.ms).toBeLessThanOrEqual(1_020);
    expect(budget.calls).toBe(66);
  });

  it('never grants more than the budget allows, keeping the reserve, and nothing after the deadline', async () => {
    const clock = new VirtualClock();
    const budget = new SweepBudget(clock, { pace: { capacity: 10, refillPerSecond: 1 }, deadlineMs: 5_000 });
    expect(budget.maxCalls).toBe(15);
    const granted = (await timed(clock, Promise.all(Array.from({ length: 20 }, () => budget.take(1, 3))))).value.filter(Boolean).length;
    expect(granted).toBe(12);
    expect((await timed(clock, budget.take(1))).value).toBe(true);
    clock.advance(5_001);
    expect(await budget.take(1)).toBe(false);
    expect(budget.calls).toBe(13);
  });

  it('grants nothing once stopped (ECS throttled a read)', async () => {
    const clock = new VirtualClock();
    const budget = new SweepBudget(clock, { pace: { capacity: 10, refillPerSecond: 1 }, deadlineMs: 5_000 });
    expect(await budget.take()).toBe(true);
    budget.stop();
    expect(budget.stopped).toBe(true);
    expect(await budget.take()).toBe(false);
  });

  it('refuses a pace that could never grant a read', () => {
    expect(() => new SweepBudget(new VirtualClock(), { pace: { capacity: 0, refillPerSecond: 1 }, deadlineMs: 1 })).toThrow(RangeError);
    expect(() => new SweepBudget(new VirtualClock(), { pace: { capacity: 1, refillPerSecond: 0 }, deadlineMs: 1 })).toThrow(RangeError);
  });
});
