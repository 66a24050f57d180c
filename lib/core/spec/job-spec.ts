import type { ConcurrencyPolicy } from '../jobs/concurrency.js';
import { isSchedule, parseSchedule } from '../jobs/schedule.js';
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
  concurrencyPolicy: ConcurrencyPolicy;
  timeoutSeconds?: number;
  cpu: number;
  memory: number;
  environment: Record<string, string>;
  secrets: Record<string, string>;
}

/** Validates a job spec a user sent and fills its defaults; never throws, never mutates input. */
export function validateJobSpec(input: unknown): SpecValidation<JobSpec> {
  const data = cloneAsJson(input);
  if (data === undefined) return { ok: false, errors: [{ field: '', message: 'must be a JSON object' }] };
  const memoryGiven = hasField(data, 'memory');
  const errors = checkWith(validateJobSpecSchema, data);
  const isClean = cleanFields(errors);
  errors.push(...taskSettingProblems(data, isClean, memoryGiven));
  if (isClean('schedule') && isPlainObject(data)) errors.push(...scheduleProblems(data.schedule as string));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, spec: normalized(data as unknown as JobSpec) };
}

function scheduleProblems(expression: string): FieldError[] {
  const parsed = parseSchedule(expression);
  return isSchedule(parsed) ? [] : [parsed];
}

function normalized(spec: JobSpec): JobSpec {
  return {
    image: spec.image,
    ...(spec.command === undefined ? {} : { command: [...spec.command] }),
    schedule: spec.schedule,
    concurrencyPolicy: spec.concurrencyPolicy,
    ...(spec.timeoutSeconds === undefined ? {} : { timeoutSeconds: spec.timeoutSeconds }),
    cpu: spec.cpu,
    memory: spec.memory,
    environment: Object.fromEntries(Object.entries(spec.environment)),
    secrets: Object.fromEntries(Object.entries(spec.secrets)),
  };
}
