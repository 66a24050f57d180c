export {
  decideDispatch,
  timedOutRuns,
  type ActiveRun,
  type ConcurrencyPolicy,
  type DispatchDecision,
} from './concurrency.js';
export type { CronSchedule, DayOfMonthRule, DayOfWeekRule } from './cron.js';
export { dueRun } from './due-run.js';
export { dueTicks, pastStartingDeadline, type DueTicks, type DueTicksInput, type MissedTick } from './due-ticks.js';
export type { RateSchedule, RateUnit } from './rate.js';
export { firesAfter, isSchedule, nextRunAfter, nextTickOf, parseSchedule, previousRunAtOrBefore, type Schedule } from './schedule.js';
export { JobsPass, jobsPassDefaults, type DispatchOutcome, type JobsPassTrigger, type PassJob } from './jobs-pass.js';
export { jobRunGroup, jobRunOfGroup } from './run-group.js';
export { defaultTimeZone, timeZoneProblems } from './time-zone.js';
export { needsWakeUp, wakeUpAction, wakeUpDefaults, wakeUpDelaySeconds, type WakeUpAction } from './wake-up.js';
