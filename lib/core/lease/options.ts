/**
 * Timing of a lease, with client-go's leader-election defaults. All values are milliseconds.
 *
 * - `leaseDurationMs`: how long a lease lasts after the holder's last acquire or renew; a
 *   contender may take it over once that much time has passed on the contender's clock.
 * - `renewDeadlineMs`: how long the holder keeps acting on its own clock after its last
 *   successful acquire or renew; past it, the holder stops acting until it renews again.
 * - `retryPeriodMs`: how often a holder renews and a contender tries to acquire.
 */
export interface LeaseOptions {
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

export const defaultLeaseOptions: LeaseOptions = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

/**
 * client-go jitters the retry period by up to 20 % (JitterFactor 1.2), so the renew deadline
 * must leave room for at least one full jittered retry. Checked as 5 × renew > 6 × retry, which
 * is exact in whole numbers (no floating-point 1.2).
 */
export const retryJitterFactor = 1.2;

export class LeaseOptionsError extends Error {
  /** One sentence a problem, naming the option. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: { cause?: unknown }) {
    super(`invalid lease options: ${problems.join('; ')}`, options);
    this.name = 'LeaseOptionsError';
    this.problems = problems;
  }
}

/**
 * Defaults overlaid with `overrides`, validated. Throws LeaseOptionsError listing every
 * problem at once.
 */
export function resolveLeaseOptions(overrides: Partial<LeaseOptions> = {}): LeaseOptions {
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  ) as Partial<LeaseOptions>;
  return validateLeaseOptions({ ...defaultLeaseOptions, ...defined });
}

/**
 * Enforces what client-go enforces: every period a positive whole number of milliseconds and
 * leaseDuration > renewDeadline > 1.2 × retryPeriod. A renew deadline at or past the lease
 * duration would let a holder act after a contender may already have taken over; a deadline
 * shorter than a jittered retry would let a healthy holder lose leadership between two renewals.
 * Returns the options unchanged when valid.
 */
export function validateLeaseOptions(options: LeaseOptions): LeaseOptions {
  const problems: string[] = [];
  for (const key of ['leaseDurationMs', 'renewDeadlineMs', 'retryPeriodMs'] as const) {
    const value = options[key];
    if (!Number.isSafeInteger(value) || value <= 0) {
      problems.push(`${key} must be a positive whole number of milliseconds (got ${String(value)})`);
    }
  }
  if (problems.length === 0) {
    const { leaseDurationMs, renewDeadlineMs, retryPeriodMs } = options;
    if (leaseDurationMs <= renewDeadlineMs) {
      problems.push(
        `leaseDurationMs (${leaseDurationMs}) must be greater than renewDeadlineMs (${renewDeadlineMs})`,
      );
    }
    if (5 * renewDeadlineMs <= 6 * retryPeriodMs) {
      problems.push(
        `renewDeadlineMs (${renewDeadlineMs}) must be greater than ${retryJitterFactor} × retryPeriodMs ` +
          `(${(6 * retryPeriodMs) / 5})`,
      );
    }
  }
  if (problems.length > 0) throw new LeaseOptionsError(problems);
  return options;
}
