import serviceSchema from '../../../schema/service-spec.schema.json' with { type: 'json' };

/** Body of POST /services/{name}/scale: the spec's own `replicas` rule. */
export const scaleRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['replicas'],
  properties: { replicas: serviceSchema.properties.replicas },
  errorMessage: 'must be a JSON object like {"replicas": 3}',
};

/** Body of POST /services/{name}/promote. */
export const promoteRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    full: { type: 'boolean', errorMessage: 'must be true or false' },
  },
  errorMessage: 'must be a JSON object like {"full": true} or {}',
};

/** Body of POST /services/{name}/rollback. */
export const rollbackRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    revision: { type: 'integer', minimum: 1, errorMessage: 'must be a positive integer' },
  },
  errorMessage: 'must be a JSON object like {"revision": 3} or {}',
};
