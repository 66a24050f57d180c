import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { jobRoutes } from '../../lib/api/job-routes.js';
import { operations } from '../../lib/api/openapi/operations.js';
import { toGatewayModelSchema, toOpenApiSchema } from '../../lib/api/openapi/schema-dialects.js';
import { secretRoutes } from '../../lib/api/secret-routes.js';
import { serviceRoutes } from '../../lib/api/service-routes.js';
import { apiRoutes } from '../../lib/infra/api-routes.js';
import { openApiPath, openApiText } from '../../scripts/generate-openapi.js';

const published = readFileSync(openApiPath, 'utf8');
const document = JSON.parse(published);
const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

describe('schema/openapi.json', () => {
  it('is what the generator writes today (run "npm run openapi" after changing a schema or a route)', () => {
    expect(published).toBe(openApiText());
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents every route the handlers serve and API Gateway routes, and no other', () => {
    // The route tables only build closures; nothing here touches a store.
    const none = {} as never;
    const handlerRoutes = [
      ...serviceRoutes(none, none),
      ...jobRoutes({ jobs: none, secrets: none, clock: none }),
      ...secretRoutes({ secrets: none, store: none }),
    ].map(key);
    const documented = operations.map(key);
    expect([...handlerRoutes].sort()).toEqual([...documented].sort());
    expect(apiRoutes.map(key).sort()).toEqual([...documented].sort());
    for (const op of operations) {
      expect(document.paths[op.path]?.[op.method.toLowerCase()]?.operationId, key(op)).toBe(op.operationId);
    }
    expect(document.paths['/openapi.json'].get).toBeDefined();
  });

  it('uses the validator\'s own schemas for request bodies', () => {
    const spec = JSON.parse(readFileSync(new URL('../../schema/service-spec.schema.json', import.meta.url), 'utf8'));
    expect(document.components.schemas.ServiceSpec).toEqual(toOpenApiSchema(spec));
    expect(document.components.schemas.ServiceSpec.properties.replicas).toEqual(spec.properties.replicas);
    expect(document.paths['/services/{name}'].put.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/ServiceSpec');
  });
});

describe('schema dialects', () => {
  const tuple = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: {
      command: { type: 'array', items: [{ enum: ['CMD'] }], additionalItems: { type: 'string' } },
      env: { type: 'object', propertyNames: { pattern: '^[A-Z]+$' }, additionalProperties: { type: 'string' } },
      weight: { type: 'number', exclusiveMinimum: 0, errorMessage: 'must be positive' },
    },
  };

  it('turns a draft-07 tuple into 2020-12 prefixItems for OpenAPI 3.1', () => {
    const converted = toOpenApiSchema(tuple);
    expect(converted.$schema).toBeUndefined();
    expect((converted.properties as any).command).toEqual({ type: 'array', prefixItems: [{ enum: ['CMD'] }], items: { type: 'string' } });
  });

  it('drops what draft-04 lacks for API Gateway rather than tightening anything', () => {
    const converted = toGatewayModelSchema(tuple) as any;
    expect(converted.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(converted.properties.env).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
    expect(converted.properties.weight).toEqual({ type: 'number', minimum: 0, exclusiveMinimum: true });
    expect(converted.properties.command).toEqual(tuple.properties.command);
  });
});
