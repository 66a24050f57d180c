import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import jobSchema from '../../../schema/job-spec.schema.json' with { type: 'json' };
import serviceSchema from '../../../schema/service-spec.schema.json' with { type: 'json' };

type Node = Record<string, unknown>;

/** Every object-typed schema in the tree, with its path. */
function objectSchemas(node: unknown, path = '#'): Array<[string, Node]> {
  if (typeof node !== 'object' || node === null) return [];
  const found: Array<[string, Node]> = [];
  const schema = node as Node;
  if (schema.type === 'object') found.push([path, schema]);
  for (const [key, child] of Object.entries(schema)) {
    if (key === 'enum' || key === 'default') continue;
    found.push(...objectSchemas(child, `${path}/${key}`));
  }
  return found;
}

describe.each([
  ['service-spec.schema.json', serviceSchema as Node],
  ['job-spec.schema.json', jobSchema as Node],
])('%s', (_, schema) => {
  it('is a valid draft-07 schema', () => {
    const ajv = new Ajv({ strict: false });
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('closes every object: fixed fields reject unknown ones, maps constrain their names', () => {
    for (const [path, node] of objectSchemas(schema)) {
      const closed = node.additionalProperties === false;
      const map = typeof node.additionalProperties === 'object' && node.propertyNames !== undefined;
      expect(closed || map, path).toBe(true);
    }
  });

  it('describes every field a user writes', () => {
    const properties = schema.properties as Record<string, Node>;
    for (const [name, property] of Object.entries(properties)) {
      expect(typeof property.description, name).toBe('string');
    }
  });
});

describe('the two schemas', () => {
  it('share the task fields word for word, so services and jobs accept the same values', () => {
    const service = serviceSchema.properties as Record<string, unknown>;
    const job = jobSchema.properties as Record<string, unknown>;
    for (const field of ['image', 'command', 'cpu', 'memory', 'environment', 'secrets']) {
      expect(job[field], field).toEqual(service[field]);
    }
  });
});
