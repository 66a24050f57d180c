/**
 * One problem with a user's input, named by where it is. The API turns a list of these into the
 * `details` of a 400 answer.
 */
export interface FieldError {
  /**
   * Path to the offending value: object keys joined with ".", array indices in brackets
   * ("rollout.maxSurge", "environment.FOO", "command[1]"), or "" for the input as a whole.
   */
  field: string;
  message: string;
}

/** The outcome of validating a spec: the normalized spec with every default filled, or why not. */
export type SpecValidation<T> = { ok: true; spec: T } | { ok: false; errors: FieldError[] };

/** The outcome of validating a request body that is not a spec: its fields beside `ok`. */
export type BodyValidation<T> = ({ ok: true } & T) | { ok: false; errors: FieldError[] };

/** Appends a key to a field path: fieldPath("rollout", "maxSurge") is "rollout.maxSurge". */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}
