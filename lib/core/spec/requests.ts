import serviceSchema from '../../../schema/service-spec.schema.json' with { type: 'json' };
import type { BodyValidation } from './field-error.js';
import { cloneAsJson } from './json-clone.js';
import { compileSchemaCheck } from './schema-check.js';

/** Body of POST /services/{name}/scale. */
export interface ScaleRequest {
  replicas: number;
}

/** Body of POST /services/{name}/rollback; without `revision`, the previous stable revision. */
export interface RollbackRequest {
  revision?: number;
}

const checkScale = compileSchemaCheck({
  type: 'object',
  additionalProperties: false,
  required: ['replicas'],
  properties: { replicas: serviceSchema.properties.replicas },
  errorMessage: 'must be a JSON object like {"replicas": 3}',
});

const checkRollback = compileSchemaCheck({
  type: 'object',
  additionalProperties: false,
  properties: {
    revision: { type: 'integer', minimum: 1, errorMessage: 'must be a positive integer' },
  },
  errorMessage: 'must be a JSON object like {"revision": 3} or {}',
});

export function validateScaleRequest(input: unknown): BodyValidation<ScaleRequest> {
  const data = cloneAsJson(input);
  const errors = checkScale(data);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, replicas: (data as ScaleRequest).replicas };
}

/** `undefined` (no body at all) asks for the previous stable revision, as `{}` does. */
export function validateRollbackRequest(input: unknown): BodyValidation<RollbackRequest> {
  const data = input === undefined ? {} : cloneAsJson(input);
  const errors = checkRollback(data);
  if (errors.length > 0) return { ok: false, errors };
  const { revision } = data as RollbackRequest;
  return revision === undefined ? { ok: true } : { ok: true, revision };
}
