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

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref?.();
    return { id: Number(handle[Symbol.toPrimitive]()), handle } as ClockTimer;
  },
  clearTimeout(timer) {
    clearTimeout((timer as ClockTimer & { handle: NodeJS.Timeout }).handle);
  },
};

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
