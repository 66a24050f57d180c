import { describe, expect, it } from 'vitest';
import {
  defaultLeaseOptions,
  isLeading,
  nextLeaseStep,
  shouldRenew,
  type HeldLease,
  type Lease,
} from '../../../lib/core/lease/index.js';

const options = defaultLeaseOptions;
// Held by a since t = 100 000 (its clock): stored expiry 115 000, leadership until 110 000.
const lease: Lease = { name: 'dispatcher', holder: 'a', token: 4, expiresAt: 115_000, durationMs: 15_000 };
const held: HeldLease = { lease, confirmedAt: 100_000 };

describe('leadership from the holder side', () => {
  it.each([
    [100_000, true],
    [109_999, true],
    [110_000, false], // the renew deadline, 5 s before the stored expiry
    [114_000, false],
  ])('at %d the holder leads: %s', (now, leading) => {
    expect(isLeading(held, now, options)).toBe(leading);
  });

  it('nobody leads without a lease', () => {
    expect(isLeading(undefined, 100_000, options)).toBe(false);
  });

  it.each([
    [101_999, false],
    [102_000, true],
    [130_000, true],
  ])('at %d the holder renews: %s', (now, renew) => {
    expect(shouldRenew(held, now, options)).toBe(renew);
  });
});

describe('nextLeaseStep', () => {
  it.each([
    { when: 'holding, renewed 1 s ago', state: { held }, holder: 'a', now: 101_000, step: { kind: 'keep' } },
    { when: 'holding, a retry period passed', state: { held }, holder: 'a', now: 102_000, step: { kind: 'renew', lease } },
    { when: 'holding, past the renew deadline', state: { held }, holder: 'a', now: 112_000, step: { kind: 'renew', lease } },
    { when: 'never saw the lease', state: {}, holder: 'b', now: 101_000, step: { kind: 'acquire' } },
    { when: 'saw it held by a', state: { observed: lease }, holder: 'b', now: 101_000, step: { kind: 'wait', until: 115_000 } },
    { when: 'saw it held by a, now expired', state: { observed: lease }, holder: 'b', now: 115_000, step: { kind: 'acquire' } },
    { when: 'saw it released', state: { observed: { ...lease, expiresAt: 0 } }, holder: 'b', now: 101_000, step: { kind: 'acquire' } },
    { when: 'saw it as ours after a restart', state: { observed: lease }, holder: 'a', now: 101_000, step: { kind: 'acquire' } },
  ])('$when → $step.kind', ({ state, holder, now, step }) => {
    expect(nextLeaseStep(state, holder, now, options)).toEqual(step);
  });
});
