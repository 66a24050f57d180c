export {
  decideDispatch,
  timedOutRuns,
  type ActiveRun,
  type ConcurrencyPolicy,
  type DispatchDecision,
} from './concurrency.js';
export type { CronSchedule, DayOfMonthRule, DayOfWeekRule } from './cron.js';
export { dueRun } from './due-run.js';
export type { RateSchedule, RateUnit } from './rate.js';
export { isSchedule, nextRunAfter, parseSchedule, previousRunAtOrBefore, type Schedule } from './schedule.js';
