import { describe, expect, it } from 'vitest';
import { canAcquire, isExpired, type Lease } from '../../../lib/core/lease/index.js';

// Stored for holder a at t = 100 000 with a 15 s duration.
const lease: Lease = { name: 'dispatcher', holder: 'a', token: 4, expiresAt: 115_000, durationMs: 15_000 };

describe('isExpired and canAcquire', () => {
  it.each([
    [114_999, false],
    [115_000, true],
    [200_000, true],
  ])('at %d the lease expiring at 115 000 is expired: %s', (now, expired) => {
    expect(isExpired(lease, now)).toBe(expired);
  });

  it.each([
    { when: 'nobody ever held it', current: undefined, holder: 'b', now: 0, allowed: true },
    { when: 'another holder, unexpired', current: lease, holder: 'b', now: 114_999, allowed: false },
    { when: 'another holder, expired', current: lease, holder: 'b', now: 115_000, allowed: true },
    { when: 'already ours, unexpired', current: lease, holder: 'a', now: 100_001, allowed: true },
    { when: 'released (expiry 0)', current: { ...lease, expiresAt: 0 }, holder: 'b', now: 100_001, allowed: true },
  ])('$when: $holder may acquire at $now → $allowed', ({ current, holder, now, allowed }) => {
    expect(canAcquire(current, holder, now)).toBe(allowed);
  });
});
