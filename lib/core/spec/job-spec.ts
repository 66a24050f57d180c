import type { ConcurrencyPolicy } from '../jobs/concurrency.js';
import { isSchedule, nextRunAfter, parseSchedule } from '../jobs/schedule.js';
import { defaultTimeZone, timeZoneProblems } from '../jobs/time-zone.js';
import { cleanFields, hasField, taskSettingProblems } from './checks.js';
import type { FieldError, SpecValidation } from './field-error.js';
import { cloneAsJson, isPlainObject } from './json-clone.js';
import { validateJobSpecSchema } from './generated/validators.js';
import { checkWith } from './schema-check.js';

/** A job spec as validated: every default filled, the schedule known to parse. */
export interface JobSpec {
  image: string;
  command?: string[];
  /** EventBridge syntax, as the user wrote it; parse with parseSchedule. */
  schedule: string;
  /** IANA name; where cron times are read (default UTC). */
  timeZone: string;
  concurrencyPolicy: ConcurrencyPolicy;
  /** A run not started within this many seconds of its tick is recorded Missed; none: no limit. */
  startingDeadlineSeconds?: number;
  timeoutSeconds?: number;
  cpu: number;
  memory: number;
  environment: Record<string, string>;
  secrets: Record<string, string>;
}

/**
 * Validates a job spec a user sent and fills its defaults; never throws, never mutates input.
 * Given `now` (epoch ms), a schedule with no tick after it — a cron whose years have all
 * passed — is refused too: such a job could never run.
 */
export function validateJobSpec(input: unknown, now?: number): SpecValidation<JobSpec> {
  const data = cloneAsJson(input);
  if (data === undefined) return { ok: false, errors: [{ field: '', message: 'must be a JSON object' }] };
  const memoryGiven = hasField(data, 'memory');
  const errors = checkWith(validateJobSpecSchema, data);
  const isClean = cleanFields(errors);
  errors.push(...taskSettingProblems(data, isClean, memoryGiven));
  if (isClean('timeZone') && isPlainObject(data)) errors.push(...timeZoneProblems(data.timeZone as string));
  if (isClean('schedule') && isPlainObject(data)) errors.push(...scheduleProblems(data.schedule as string, zoneOf(data, isClean), now));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, spec: normalized(data as unknown as JobSpec) };
}

/** The time zone the schedule is read in: the spec's, if valid, else the default. */
function zoneOf(data: Record<string, unknown>, isClean: (field: string) => boolean): string {
  return typeof data.timeZone === 'string' && isClean('timeZone') && timeZoneProblems(data.timeZone).length === 0 ? data.timeZone : defaultTimeZone;
}

function scheduleProblems(expression: string, timeZone: string, now: number | undefined): FieldError[] {
  const parsed = parseSchedule(expression);
  if (!isSchedule(parsed)) return [parsed];
  if (now !== undefined && nextRunAfter(parsed, now, now, timeZone) === undefined) {
    return [{ field: 'schedule', message: `${expression} never fires: every time it names is in the past` }];
  }
  return [];
}

function normalized(spec: JobSpec): JobSpec {
  return {
    image: spec.image,
    ...(spec.command === undefined ? {} : { command: [...spec.command] }),
    schedule: spec.schedule,
    timeZone: spec.timeZone,
    concurrencyPolicy: spec.concurrencyPolicy,
    ...(spec.startingDeadlineSeconds === undefined ? {} : { startingDeadlineSeconds: spec.startingDeadlineSeconds }),
    ...(spec.timeoutSeconds === undefined ? {} : { timeoutSeconds: spec.timeoutSeconds }),
    cpu: spec.cpu,
    memory: spec.memory,
    environment: Object.fromEntries(Object.entries(spec.environment)),
    secrets: Object.fromEntries(Object.entries(spec.secrets)),
  };
}
