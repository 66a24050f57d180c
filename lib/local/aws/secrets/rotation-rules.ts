import { isSchedule, nextRunAfter, parseSchedule, type Schedule } from '../../../core/jobs/index.js';
import { AwsError } from '../errors.js';

export interface RotationRules {
  AutomaticallyAfterDays?: number;
  Duration?: string;
  ScheduleExpression?: string;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

const invalid = (message: string): AwsError => new AwsError('InvalidParameterException', message);

/**
 * Secrets Manager's rotation schedule rules: either AutomaticallyAfterDays 1..1000 or a
 * ScheduleExpression (`rate(n hours|days)` at least every 4 hours, or `cron(...)`), and an optional
 * window Duration of 1h..24h.
 */
export function validateRotationRules(raw: unknown): RotationRules {
  if (typeof raw !== 'object' || raw === null) throw invalid('RotationRules must be a structure.');
  const rules = raw as RotationRules;
  if (rules.AutomaticallyAfterDays !== undefined && rules.ScheduleExpression !== undefined) {
    throw invalid('You can specify either AutomaticallyAfterDays or ScheduleExpression, but not both.');
  }
  if (rules.AutomaticallyAfterDays !== undefined) {
    const days = rules.AutomaticallyAfterDays;
    if (!Number.isInteger(days) || days < 1 || days > 1000) throw invalid('AutomaticallyAfterDays must be between 1 and 1000.');
  }
  if (rules.ScheduleExpression !== undefined) scheduleInterval(rules.ScheduleExpression);
  if (rules.Duration !== undefined && !/^([1-9]|1\d|2[0-4])h$/.test(rules.Duration)) {
    throw invalid('Duration must be between 1h and 24h.');
  }
  return rules;
}

/** When the next rotation is due after `from` (epoch ms), or undefined without a schedule. */
export function nextRotation(rules: RotationRules | undefined, from: number): number | undefined {
  if (!rules) return undefined;
  if (rules.AutomaticallyAfterDays !== undefined) return from + rules.AutomaticallyAfterDays * dayMs;
  if (rules.ScheduleExpression === undefined) return undefined;
  const schedule = scheduleInterval(rules.ScheduleExpression);
  if (typeof schedule === 'number') return from + schedule;
  return nextRunAfter(schedule, from, from);
}

function scheduleInterval(expression: string): number | Schedule {
  const rate = /^rate\((\d+) (hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const ms = Number(rate[1]) * (rate[2].startsWith('hour') ? hourMs : dayMs);
    if (ms < 4 * hourMs) throw invalid('The schedule expression must rotate no more often than every four hours.');
    if (ms > 1000 * dayMs) throw invalid('The schedule expression must rotate at least every 1000 days.');
    return ms;
  }
  if (expression.startsWith('cron(')) {
    const cron = parseSchedule(expression);
    if (!isSchedule(cron)) throw invalid(`Invalid ScheduleExpression: ${expression}: ${cron.message}`);
    return cron;
  }
  throw invalid(`Invalid ScheduleExpression: ${expression}`);
}
