/** A token bucket: `capacity` is the burst, `refillPerSecond` the sustained rate. */
export interface TokenBucketSpec {
  capacity: number;
  refillPerSecond: number;
}

/**
 * The token bucket algorithm ECS throttles with (and the one a caller paces itself with):
 * the bucket starts full, each request takes tokens, tokens come back continuously at the
 * refill rate up to the capacity. Time is a parameter, so a virtual clock drives it in tests.
 *
 * Worked example, capacity 100 and refill 20/s: 100 calls at t=0 all pass and empty it; at
 * t=0.5 s it holds 10 tokens, so 10 more pass and the 11th is refused; a caller that waits
 * `msUntil(now, 1)` = 50 ms gets the next one through. Over a minute that is 100 + 60 × 20 =
 * 1,300 calls at most.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(readonly spec: TokenBucketSpec, now: number) {
    this.tokens = spec.capacity;
    this.at = now;
  }

  /** Takes `count` tokens if the bucket holds them; false (and nothing taken) otherwise. */
  tryTake(now: number, count = 1): boolean {
    this.refill(now);
    if (this.tokens < count) return false;
    this.tokens -= count;
    return true;
  }

  /** Milliseconds until `count` tokens are there (0 if they are now); Infinity above the capacity. */
  msUntil(now: number, count = 1): number {
    this.refill(now);
    if (count > this.spec.capacity) return Infinity;
    if (this.tokens >= count) return 0;
    return Math.ceil(((count - this.tokens) / this.spec.refillPerSecond) * 1000);
  }

  private refill(now: number): void {
    if (now > this.at) {
      this.tokens = Math.min(this.spec.capacity, this.tokens + ((now - this.at) / 1000) * this.spec.refillPerSecond);
      this.at = now;
    }
  }
}
