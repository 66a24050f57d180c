/**
 * The spec schemas in schema/ are JSON Schema draft-07: the dialect editors (VS Code's YAML and
 * JSON support) and the validator (Ajv) read. Two other readers need other dialects, derived
 * here so that schema/ stays the one source:
 *   - OpenAPI 3.1 speaks JSON Schema 2020-12: a tuple's `items: [...]` + `additionalItems` is
 *     `prefixItems` + `items` there;
 *   - API Gateway models speak draft-04: no `propertyNames`, `const`, `contains`, `if`; a
 *     numeric `exclusiveMinimum` is a boolean beside `minimum`.
 * A keyword a dialect lacks is dropped, never tightened, so the gateway can only ever be less
 * strict than the handler: it refuses what is clearly malformed, the handler names each field.
 */
export type JsonSchema = { [keyword: string]: unknown };

/** Keywords whose value is a map of name → schema. */
const schemaMaps = ['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas'];
/** Keywords whose value is one schema. */
const schemaValues = ['additionalProperties', 'additionalItems', 'items', 'propertyNames', 'not', 'contains', 'if', 'then', 'else'];
/** Keywords whose value is a list of schemas. */
const schemaLists = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

/** Rebuilds a schema bottom-up, letting `rewrite` change each node after its children. */
function mapSchema(schema: JsonSchema, rewrite: (node: JsonSchema) => JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (schemaMaps.includes(keyword) && isObject(value)) {
      out[keyword] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, mapChild(child, rewrite)]));
    } else if (schemaLists.includes(keyword) && Array.isArray(value)) {
      out[keyword] = value.map((child) => mapChild(child, rewrite));
    } else if (keyword === 'items' && Array.isArray(value)) {
      out[keyword] = value.map((child) => mapChild(child, rewrite));
    } else if (schemaValues.includes(keyword) && isObject(value)) {
      out[keyword] = mapSchema(value, rewrite);
    } else {
      out[keyword] = value;
    }
  }
  return rewrite(out);
}

function mapChild(child: unknown, rewrite: (node: JsonSchema) => JsonSchema): unknown {
  return isObject(child) ? mapSchema(child, rewrite) : child;
}

/** A draft-07 schema as an OpenAPI 3.1 Schema Object (JSON Schema 2020-12). */
export function toOpenApiSchema(schema: JsonSchema): JsonSchema {
  return mapSchema(schema, (node) => {
    const { $schema: _dialect, ...rest } = node;
    if (!Array.isArray(rest.items)) return rest;
    const { items, additionalItems, ...others } = rest;
    return { ...others, prefixItems: items, ...(additionalItems === undefined ? {} : { items: additionalItems }) };
  });
}

const draft04Unknown = ['propertyNames', 'contains', 'if', 'then', 'else', 'examples', 'errorMessage', '$comment', 'readOnly', 'writeOnly'];

/** A draft-07 schema as an API Gateway model (draft-04), never stricter than the original. */
export function toGatewayModelSchema(schema: JsonSchema): JsonSchema {
  const converted = mapSchema(schema, (node) => {
    const out: JsonSchema = {};
    for (const [keyword, value] of Object.entries(node)) {
      if (keyword === '$schema' || draft04Unknown.includes(keyword)) continue;
      if (keyword === 'const') out.enum = [value];
      else if ((keyword === 'exclusiveMinimum' || keyword === 'exclusiveMaximum') && typeof value === 'number') {
        out[keyword === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = value;
        out[keyword] = true;
      } else out[keyword] = value;
    }
    return out;
  });
  return { $schema: 'http://json-schema.org/draft-04/schema#', ...converted };
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
