import { fargateSizeProblem } from './fargate-sizes.js';
import { fieldPath, type FieldError } from './field-error.js';
import { isPlainObject } from './json-clone.js';

/**
 * Whether the schema left `field` alone: neither it nor an enclosing value has an error. The
 * checks below only look at values the schema accepted, so they never report a second,
 * confusing problem about a value already reported as malformed.
 */
export type IsClean = (field: string) => boolean;

/** Whether the user wrote `field` at the top level, as opposed to getting its default. */
export function hasField(data: unknown, field: string): boolean {
  return isPlainObject(data) && Object.hasOwn(data, field);
}

export function cleanFields(errors: readonly FieldError[]): IsClean {
  const bad = errors.map((e) => e.field);
  return (field) =>
    !bad.some(
      (b) => b === '' || b === field || field.startsWith(`${b}.`) || field.startsWith(`${b}[`),
    );
}

/**
 * Rules that span fields, shared by services and jobs: Fargate's cpu/memory pairs, and a
 * variable set both in environment and in secrets (ECS would pick one silently).
 * `memoryGiven` tells a user's memory from the default, which a larger cpu outgrows.
 */
export function taskSettingProblems(data: unknown, isClean: IsClean, memoryGiven: boolean): FieldError[] {
  if (!isPlainObject(data)) return [];
  const problems: FieldError[] = [];
  if (isClean('cpu') && isClean('memory')) {
    const problem = fargateSizeProblem(data.cpu as number, data.memory as number);
    if (problem !== undefined) {
      const defaulted = `${problem}; the default ${String(data.memory)} does not fit, so set memory`;
      problems.push({ field: 'memory', message: memoryGiven ? problem : defaulted });
    }
  }
  if (isClean('environment') && isClean('secrets')) {
    const environment = data.environment as Record<string, string>;
    for (const name of Object.keys(data.secrets as Record<string, string>)) {
      if (Object.hasOwn(environment, name)) {
        problems.push({
          field: fieldPath('secrets', name),
          message: 'is also set in environment; a variable comes from one of the two',
        });
      }
    }
  }
  return problems;
}
