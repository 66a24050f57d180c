/**
 * Secrets Manager rotation schedules: `rate(N hours)` / `rate(N days)` or a six-field
 * `cron(...)`, as `RotationRules.ScheduleExpression` accepts them. Checked at synth time so a
 * typo fails `cdk synth` rather than the deployment.
 */
export class RotationScheduleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RotationScheduleError';
  }
}

const minimumHours = 4;
const maximumDays = 1000;

export function checkRotationSchedule(expression: string): string {
  const rate = /^rate\((\d+) (hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const amount = Number(rate[1]);
    const hours = (rate[2] as string).startsWith('hour') ? amount : amount * 24;
    // e.g. rate(3 hours) is too frequent; rate(1001 days) = 24,024 h exceeds 1,000 days = 24,000 h.
    if (hours < minimumHours || hours > maximumDays * 24) {
      throw new RotationScheduleError(
        `rotation schedule ${expression} must be between ${minimumHours} hours and ${maximumDays} days`,
      );
    }
    return expression;
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (cron && (cron[1] as string).trim().split(/\s+/).length === 6) return expression;
  throw new RotationScheduleError(
    `rotation schedule ${JSON.stringify(expression)} is neither rate(N hours|days) nor a six-field cron(...)`,
  );
}
