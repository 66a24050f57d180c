import { describe, expect, it } from 'vitest';
import { needsWakeUp, wakeUpAction, wakeUpDelaySeconds } from '../../../lib/core/jobs/index.js';

const at = Date.parse('2027-01-01T12:20:05.000Z');
const before = (ms: number) => at - ms;

describe('precise wake-ups', () => {
  it.each([
    ['20 minutes ahead: the queue limit', 1_204_700, 900],
    ['5 minutes ahead: a second early', 304_700, 303],
    ['1.7 s ahead: arrive at once', 1_700, 0],
    ['already due', -500, 0],
  ])('%s', (_, ahead, seconds) => {
    expect(wakeUpDelaySeconds(at, before(ahead))).toBe(seconds);
  });

  it('re-arms a message that came early, sleeps out the last seconds, drops a superseded one', () => {
    expect(wakeUpAction(at, { at }, before(304_700))).toEqual({ kind: 'rearm' });
    expect(wakeUpAction(at, { at }, before(1_700))).toEqual({ kind: 'act', sleepMs: 1_700 });
    expect(wakeUpAction(at, { at }, at + 300)).toEqual({ kind: 'act', sleepMs: 0 });
    expect(wakeUpAction(at, { at: at - 60_000 }, before(1_000))).toEqual({ kind: 'stale' });
  });

  it('arms one wake-up at a time: none while an earlier or equal one is still to come', () => {
    const now = before(60_000);
    expect(needsWakeUp(at, undefined, now)).toBe(true);
    expect(needsWakeUp(at, { at }, now)).toBe(false);
    expect(needsWakeUp(at, { at: at - 10_000 }, now)).toBe(false);
    expect(needsWakeUp(at, { at: at + 10_000 }, now)).toBe(true);
    expect(needsWakeUp(at, { at: now - 1 }, now)).toBe(true);
    // The wake-up whose pass is arming the next one, on a clock that did not move during the pass.
    expect(needsWakeUp(at, { at: now }, now)).toBe(true);
  });
});
