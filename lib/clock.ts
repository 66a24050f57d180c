/**
 * Where time comes from outside `lib/core`. Production uses the wall clock; the local
 * runtime's tests use a virtual clock (lib/local/virtual-clock.ts) they can advance, so
 * minutes of task lifecycle, health checks, backoff and schedules play out in milliseconds.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once `ms` milliseconds of this clock's time have passed. */
  setTimeout(fn: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

export interface ClockTimer {
  readonly id: number;
}

/** Node fires any timer longer than 2^31 - 1 ms (about 24.8 days) at once; longer waits re-arm. */
const maxNodeTimerMs = 2 ** 31 - 1;

interface SystemTimer extends ClockTimer {
  handle: NodeJS.Timeout;
}

let nextTimerId = 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const due = Date.now() + Math.max(0, ms);
    const timer = { id: nextTimerId++ } as SystemTimer;
    const arm = () => {
      const remaining = due - Date.now();
      timer.handle = setTimeout(remaining > maxNodeTimerMs ? arm : fn, Math.min(Math.max(0, remaining), maxNodeTimerMs));
      timer.handle.unref?.();
    };
    arm();
    return timer;
  },
  clearTimeout(timer) {
    clearTimeout((timer as SystemTimer).handle);
  },
};
