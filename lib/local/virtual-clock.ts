import type { Clock, ClockTimer } from '../clock.js';

interface PendingTimer extends ClockTimer {
  readonly due: number;
  readonly fn: () => void;
}

/** 2026-01-01T00:00:00Z: a fixed start so test output (dates, ARNs' timestamps) is reproducible. */
export const defaultVirtualStart = Date.UTC(2026, 0, 1);

/**
 * A clock that only moves when told to. Timers fire synchronously inside `advance`/`advanceTo`,
 * in due-time order (ties in the order they were set), each seeing `now()` equal to its due time.
 * `LocalBus.runFor` drives it one due time at a time so async work between firings settles.
 */
export class VirtualClock implements Clock {
  private current: number;
  private nextId = 1;
  private readonly timers: PendingTimer[] = [];

  constructor(start: number = defaultVirtualStart) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): ClockTimer {
    const timer: PendingTimer = { id: this.nextId++, due: this.current + Math.max(0, ms), fn };
    // Keep `timers` sorted by (due, id); insertion after every timer due no later keeps ties FIFO.
    let index = this.timers.length;
    while (index > 0 && this.timers[index - 1].due > timer.due) index--;
    this.timers.splice(index, 0, timer);
    return timer;
  }

  clearTimeout(timer: ClockTimer): void {
    const index = this.timers.findIndex((t) => t.id === timer.id);
    if (index >= 0) this.timers.splice(index, 1);
  }

  /** Due time of the earliest pending timer, or undefined when none is pending. */
  nextTimerAt(): number | undefined {
    return this.timers[0]?.due;
  }

  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`cannot advance a clock backwards (${ms} ms)`);
    this.advanceTo(this.current + ms);
  }

  /** Moves time to `t`, firing every timer due at or before `t` (including ones set while firing). */
  advanceTo(t: number): void {
    if (t < this.current) throw new RangeError(`cannot move the clock back from ${this.current} to ${t}`);
    for (;;) {
      const next = this.timers[0];
      if (next === undefined || next.due > t) break;
      this.timers.shift();
      this.current = next.due;
      next.fn();
    }
    this.current = t;
  }
}
