import type { BodyValidation } from './field-error.js';
import { cloneAsJson } from './json-clone.js';
import { validatePromoteRequestSchema, validateRollbackRequestSchema, validateScaleRequestSchema } from './generated/validators.js';
import { checkWith } from './schema-check.js';

/** Body of POST /services/{name}/scale. */
export interface ScaleRequest {
  replicas: number;
}

/** Body of POST /services/{name}/rollback; without `revision`, the previous stable revision. */
export interface RollbackRequest {
  revision?: number;
}

/** Body of POST /services/{name}/promote; `full` skips every remaining canary step. */
export interface PromoteRequest {
  full: boolean;
}

export function validateScaleRequest(input: unknown): BodyValidation<ScaleRequest> {
  const data = cloneAsJson(input);
  const errors = checkWith(validateScaleRequestSchema, data);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, replicas: (data as ScaleRequest).replicas };
}

/** `undefined` (no body at all) asks for the previous stable revision, as `{}` does. */
export function validateRollbackRequest(input: unknown): BodyValidation<RollbackRequest> {
  const data = input === undefined ? {} : cloneAsJson(input);
  const errors = checkWith(validateRollbackRequestSchema, data);
  if (errors.length > 0) return { ok: false, errors };
  const { revision } = data as RollbackRequest;
  return revision === undefined ? { ok: true } : { ok: true, revision };
}

/** No body or `{}` promotes to the next step; `{"full": true}` skips every remaining step. */
export function validatePromoteRequest(input: unknown): BodyValidation<PromoteRequest> {
  const data = input === undefined ? {} : cloneAsJson(input);
  const errors = checkWith(validatePromoteRequestSchema, data);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, full: (data as { full?: boolean }).full === true };
}
