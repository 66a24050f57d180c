import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defaultLeaseOptions,
  LeaseOptionsError,
  resolveLeaseOptions,
  validateLeaseOptions,
  type LeaseOptions,
} from '../../../lib/core/lease/index.js';

function problemsOf(options: LeaseOptions): readonly string[] {
  try {
    validateLeaseOptions(options);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(LeaseOptionsError);
    return (error as LeaseOptionsError).problems;
  }
}

describe('lease options', () => {
  it('defaults to client-go leader election: lease 15 s, renew deadline 10 s, retry 2 s', () => {
    expect(resolveLeaseOptions()).toEqual({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
  });

  it('overlays overrides on the defaults and ignores undefined ones', () => {
    expect(resolveLeaseOptions({ leaseDurationMs: 30_000, retryPeriodMs: undefined })).toEqual({
      ...defaultLeaseOptions,
      leaseDurationMs: 30_000,
    });
  });

  it.each([
    // lease, renew, retry → the problems, each naming the option
    [15_000, 15_000, 2_000, ['leaseDurationMs (15000) must be greater than renewDeadlineMs (15000)']],
    [10_000, 12_000, 2_000, ['leaseDurationMs (10000) must be greater than renewDeadlineMs (12000)']],
    [15_000, 2_400, 2_000, ['renewDeadlineMs (2400) must be greater than 1.2 × retryPeriodMs (2400)']],
    [15_000, 2_000, 2_000, ['renewDeadlineMs (2000) must be greater than 1.2 × retryPeriodMs (2400)']],
    [
      5_000,
      6_000,
      6_000,
      [
        'leaseDurationMs (5000) must be greater than renewDeadlineMs (6000)',
        'renewDeadlineMs (6000) must be greater than 1.2 × retryPeriodMs (7200)',
      ],
    ],
    [0, 10_000, 2_000, ['leaseDurationMs must be a positive whole number of milliseconds (got 0)']],
    [15_000, -1, 2_000, ['renewDeadlineMs must be a positive whole number of milliseconds (got -1)']],
    [15_000, 10_000, 1.5, ['retryPeriodMs must be a positive whole number of milliseconds (got 1.5)']],
    [Number.NaN, 10_000, 2_000, ['leaseDurationMs must be a positive whole number of milliseconds (got NaN)']],
  ])('lease %d, renew %d, retry %d is refused', (leaseDurationMs, renewDeadlineMs, retryPeriodMs, problems) => {
    expect(problemsOf({ leaseDurationMs, renewDeadlineMs, retryPeriodMs })).toEqual(problems);
  });

  it('refuses a renew deadline of exactly 1.2 × retry and accepts one more millisecond', () => {
    expect(problemsOf({ leaseDurationMs: 100, renewDeadlineMs: 42, retryPeriodMs: 35 })).toEqual([
      'renewDeadlineMs (42) must be greater than 1.2 × retryPeriodMs (42)',
    ]);
    expect(problemsOf({ leaseDurationMs: 100, renewDeadlineMs: 43, retryPeriodMs: 35 })).toEqual([]);
  });

  it('puts every problem in the error message', () => {
    expect(() => resolveLeaseOptions({ renewDeadlineMs: 20_000, retryPeriodMs: 20_000 })).toThrow(
      /leaseDurationMs \(15000\) must be greater than renewDeadlineMs \(20000\); renewDeadlineMs \(20000\) must be greater than 1\.2 × retryPeriodMs/,
    );
  });

  it('accepts exactly the whole positive periods with lease > renew > 1.2 × retry', () => {
    const period = fc.integer({ min: 1, max: 120_000 });
    fc.assert(
      fc.property(period, period, period, (leaseDurationMs, renewDeadlineMs, retryPeriodMs) => {
        // 1.2 × retry in exact arithmetic: 5 × renew > 6 × retry
        const valid = leaseDurationMs > renewDeadlineMs && 5 * renewDeadlineMs > 6 * retryPeriodMs;
        expect(problemsOf({ leaseDurationMs, renewDeadlineMs, retryPeriodMs }).length === 0).toBe(valid);
      }),
    );
  });
});
