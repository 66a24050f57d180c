import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../lib/core/token-bucket.js';

describe('TokenBucket', () => {
  it('passes the burst at once, then the refill rate, as in its worked example', () => {
    const bucket = new TokenBucket({ capacity: 100, refillPerSecond: 20 }, 0);
    let passed = 0;
    for (let i = 0; i < 120; i++) if (bucket.tryTake(0)) passed++;
    expect(passed).toBe(100);
    expect(bucket.msUntil(0)).toBe(50);
    let later = 0;
    for (let i = 0; i < 20; i++) if (bucket.tryTake(500)) later++;
    expect(later).toBe(10);
    expect(bucket.msUntil(500, 101)).toBe(Infinity);
  });

  it('never lets more than capacity + rate × time through, whatever the request pattern', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 30 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 5 })), { maxLength: 200 }),
      (capacity, rate, requests) => {
        const bucket = new TokenBucket({ capacity, refillPerSecond: rate }, 0);
        let now = 0;
        let taken = 0;
        for (const [gap, count] of requests) {
          now += gap;
          if (bucket.tryTake(now, count)) taken += count;
        }
        expect(taken).toBeLessThanOrEqual(capacity + (rate * now) / 1000 + 1e-9);
      },
    ));
  });

  it('a caller that waits msUntil always gets through', () => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 2 }, 0);
    let now = 0;
    for (let i = 0; i < 30; i++) {
      now += bucket.msUntil(now, 2);
      expect(bucket.tryTake(now, 2)).toBe(true);
    }
  });
});
