import type { Clock, ClockTimer } from '../../../clock.js';

/** Node's timers hold at most 2^31-1 ms (24.8 days) and fire at once beyond that. */
const maxTimerMs = 2 ** 31 - 1;

/** At most one pending clock timer per key (per secret: its deletion or its next rotation). */
export class KeyedTimers {
  private readonly timers = new Map<string, ClockTimer>();

  constructor(private readonly clock: Clock) {}

  /** Runs `fn` at clock time `due`, replacing the key's timer; long waits are armed in steps. */
  at(key: string, due: number, fn: () => void): void {
    this.clear(key);
    const step = Math.min(Math.max(0, due - this.clock.now()), maxTimerMs);
    this.timers.set(
      key,
      this.clock.setTimeout(() => {
        this.timers.delete(key);
        if (this.clock.now() < due) this.at(key, due, fn);
        else fn();
      }, step),
    );
  }

  clear(key: string): void {
    const timer = this.timers.get(key);
    if (timer) this.clock.clearTimeout(timer);
    this.timers.delete(key);
  }
}
