import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../lib/local/virtual-clock.js';

describe('VirtualClock', () => {
  test('fires due timers in time order, ties in the order they were set, each at its own time', () => {
    const clock = new VirtualClock(1_000);
    const fired: [string, number][] = [];
    clock.setTimeout(() => fired.push(['c', clock.now()]), 300);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 100);
    clock.setTimeout(() => fired.push(['b', clock.now()]), 100);
    clock.setTimeout(() => fired.push(['late', clock.now()]), 5_000);
    clock.advance(1_000);
    expect(fired).toEqual([
      ['a', 1_100],
      ['b', 1_100],
      ['c', 1_300],
    ]);
    expect(clock.now()).toBe(2_000);
    expect(clock.nextTimerAt()).toBe(6_000);
  });

  test('timers set while firing run in the same advance when they fall due within it', () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 50);
      clock.setTimeout(() => fired.push(clock.now()), 500);
    }, 100);
    clock.advanceTo(200);
    expect(fired).toEqual([100, 150]);
    expect(clock.nextTimerAt()).toBe(600);
  });

  test('a cleared timer never fires, and time cannot go back', () => {
    const clock = new VirtualClock(0);
    let fired = false;
    const timer = clock.setTimeout(() => (fired = true), 10);
    clock.clearTimeout(timer);
    clock.advance(100);
    expect(fired).toBe(false);
    expect(clock.nextTimerAt()).toBeUndefined();
    expect(() => clock.advanceTo(50)).toThrow(RangeError);
  });
});
