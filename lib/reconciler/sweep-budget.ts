import type { Clock } from '../clock.js';
import { TokenBucket, type TokenBucketSpec } from '../core/token-bucket.js';

export interface SweepBudgetOptions {
  /** The sweep's own pace for ECS task reads (ListTasks, DescribeTasks). */
  pace: TokenBucketSpec;
  /** No read starts later than this after the sweep began. */
  deadlineMs: number;
}

/**
 * What one sweep may spend on ECS task reads, and how fast. ECS throttles ListTasks and
 * DescribeTasks together in one token bucket per account and Region (100 burst, 20 a second:
 * 1,300 calls a minute); event-driven reconciles draw on the same bucket, so the sweep paces
 * itself below it and stops starting reads at its deadline, leaving the rest of the tick to
 * planning and the rest of the bucket to the reconcilers.
 *
 * Worked example with the defaults (sweep.ts): a bucket of 50 refilled at 16 a second and a
 * 45 s deadline allow 50 + 45 × 16 = 770 reads, 59% of ECS's minute; the first 50 go at once,
 * then one every 62.5 ms. `maxCalls` is that figure, for dividing it between the phases.
 */
export class SweepBudget {
  private readonly bucket: TokenBucket;
  private readonly deadline: number;
  private spent = 0;
  private backedOff = false;

  /** `beforeRead` runs once a read is granted, before it is made (the leader renewing its lease). */
  constructor(
    private readonly clock: Clock,
    private readonly options: SweepBudgetOptions,
    private readonly beforeRead: () => Promise<void> = async () => undefined,
  ) {
    if (!(options.pace.capacity >= 1) || !(options.pace.refillPerSecond > 0) || !(options.deadlineMs >= 0)) {
      throw new RangeError('a sweep budget needs a pace of at least 1 call of burst and a positive refill, and a deadline of 0 ms or more');
    }
    this.bucket = new TokenBucket(options.pace, clock.now());
    this.deadline = clock.now() + options.deadlineMs;
  }

  /** The reads this budget allows at most. */
  get maxCalls(): number {
    return Math.floor(this.options.pace.capacity + (this.options.deadlineMs / 1000) * this.options.pace.refillPerSecond);
  }

  /** Reads taken so far. */
  get calls(): number {
    return this.spent;
  }

  /**
   * Waits for `count` reads' worth of pace and takes them; false, without waiting, once the
   * deadline has passed, the budget has `reserve` calls or fewer left, or it was stopped.
   */
  async take(count = 1, reserve = 0): Promise<boolean> {
    if (this.backedOff || this.spent + count > this.maxCalls - reserve) return false;
    // Counted before waiting, so reads waiting side by side never overshoot `maxCalls`.
    this.spent += count;
    const tokens = Math.min(count, this.options.pace.capacity);
    for (;;) {
      if (this.backedOff || this.clock.now() > this.deadline) {
        this.spent -= count;
        return false;
      }
      // Checking and taking with no await in between: no other read can slip in.
      if (this.bucket.tryTake(this.clock.now(), tokens)) {
        await this.beforeRead();
        return true;
      }
      const wait = this.bucket.msUntil(this.clock.now(), tokens);
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, wait));
    }
  }

  /** ECS throttled a read: back off for the rest of this sweep. */
  stop(): void {
    this.backedOff = true;
  }

  /** Whether `stop` was called. */
  get stopped(): boolean {
    return this.backedOff;
  }
}
