import fc from 'fast-check';

/** The part of JSON Schema (draft-07) that Corral's schemas in schema/ use. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema | JsonSchema[];
  additionalItems?: boolean | JsonSchema;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  [keyword: string]: unknown;
}

/** Where a generator should draw from something else than the schema (a path like "secrets.*"). */
export type Overrides = Record<string, fc.Arbitrary<unknown>>;

/**
 * Values that conform to `schema` keyword by keyword (cross-field rules, such as Fargate's
 * cpu/memory pairs, are the validator's business and may not hold). Strings come from
 * fast-check's `stringMatching` on the schema's own pattern, so a change of the schema changes
 * what is generated. `overrides` replace the generator at a path ("secrets.*" is every value of
 * the secrets map).
 */
export function conforming(root: JsonSchema, overrides: Overrides = {}): fc.Arbitrary<unknown> {
  const resolve = (schema: JsonSchema): JsonSchema => {
    if (!schema.$ref) return schema;
    const path = schema.$ref.replace(/^#\//, '').split('/');
    return resolve(path.reduce<any>((node, key) => node?.[key], root) as JsonSchema);
  };

  const build = (raw: JsonSchema, path: string, depth: number): fc.Arbitrary<unknown> => {
    if (overrides[path]) return overrides[path];
    const schema = resolve(raw);
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const choices = schema.anyOf ?? schema.oneOf;
    if (choices) return fc.oneof(...choices.map((choice) => build(choice, path, depth)));
    const type = [schema.type ?? 'object'].flat()[0];
    switch (type) {
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
      case 'number':
        return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'string':
        return stringOf(schema);
      case 'array':
        return arrayOf(schema, path, depth);
      default:
        return objectOf(schema, path, depth);
    }
  };

  const arrayOf = (schema: JsonSchema, path: string, depth: number): fc.Arbitrary<unknown> => {
    const minLength = schema.minItems ?? 0;
    const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 3, 3));
    if (Array.isArray(schema.items)) {
      const tuple = schema.items.map((item, i) => build(item, `${path}[${i}]`, depth + 1));
      const rest = typeof schema.additionalItems === 'object' ? build(schema.additionalItems, `${path}[]`, depth + 1) : undefined;
      const tailMin = Math.max(0, minLength - tuple.length);
      const tail = rest ? fc.array(rest, { minLength: tailMin, maxLength: Math.max(tailMin, 2) }) : fc.constant([]);
      return fc.tuple(fc.tuple(...tuple), tail).map(([head, more]) => [...head, ...more]);
    }
    const item = schema.items ? build(schema.items, `${path}[]`, depth + 1) : fc.jsonValue({ maxDepth: 1 });
    return fc.array(item, { minLength, maxLength });
  };

  const objectOf = (schema: JsonSchema, path: string, depth: number): fc.Arbitrary<unknown> => {
    const properties = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    const fields = Object.fromEntries(
      Object.entries(properties).map(([key, property]) => [key, build(property, path === '' ? key : `${path}.${key}`, depth + 1)]),
    );
    const known = fc.record(fields, { requiredKeys: [...required].filter((key) => key in fields) });
    if (typeof schema.additionalProperties !== 'object' || depth > 4) return known;
    const names = schema.propertyNames ? stringOf(resolve(schema.propertyNames)) : fc.string({ minLength: 1, maxLength: 8 });
    const values = build(schema.additionalProperties, path === '' ? '*' : `${path}.*`, depth + 1);
    const extra = fc.array(fc.tuple(names, values), { maxLength: 4 });
    // Object.fromEntries defines own properties, so a generated "__proto__" is a key like any other.
    return fc.tuple(known, extra).map(([fixed, pairs]) => ({ ...(fixed as object), ...Object.fromEntries(pairs) }));
  };

  return build(root, '', 0);
}

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? Infinity;
  if (!schema.pattern) return fc.string({ minLength, maxLength: Math.min(maxLength, 64) });
  const matching = fc.stringMatching(new RegExp(schema.pattern, 'u'));
  return schema.minLength === undefined && schema.maxLength === undefined
    ? matching
    : matching.filter((s) => s.length >= minLength && s.length <= maxLength);
}

/** Values that break one rule or another: wrong types, edges, keys objects treat specially. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    null, true, -1, 0, -0, 1.5, 1e308, -1e308, 2 ** 53, '', ' ', 'nginx::1', 'Nginx:1.27', '25%', '101%', '\u0000', '🐎',
    'x'.repeat(70_000 / 8), [], {}, { __proto__: null }, [[[[[]]]]],
  ),
  fc.constantFrom('constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty', 'valueOf').map((key) => JSON.parse(`{"${key}":"x"}`)),
);

const hostileKey = fc.oneof(
  fc.constantFrom('constructor', '__proto__', 'prototype', 'toString', '', '1A', 'a b', 'unknownField', 'x'.repeat(300)),
  fc.string({ maxLength: 6 }),
);

/**
 * A conforming value with one thing broken: a field replaced by a hostile value, a field added
 * (possibly named like a prototype key), or a field removed, anywhere in the tree.
 */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), fc.constantFrom('replace', 'add', 'remove'), hostileKey, hostileValue).map(
    ([value, pick, how, key, hostile]) => {
      const copy = structuredClone(value);
      const holders = containers(copy);
      if (holders.length === 0) return hostile;
      const holder = holders[pick % holders.length]!;
      if (Array.isArray(holder)) {
        if (how === 'remove' && holder.length > 0) holder.splice(pick % holder.length, 1);
        else if (how === 'replace' && holder.length > 0) holder[pick % holder.length] = hostile;
        else holder.push(hostile);
        return copy;
      }
      const keys = Object.keys(holder);
      if (how === 'remove' && keys.length > 0) delete holder[keys[pick % keys.length]!];
      else if (how === 'replace' && keys.length > 0) holder[keys[pick % keys.length]!] = hostile;
      else Object.defineProperty(holder, key, { value: hostile, enumerable: true, writable: true, configurable: true });
      return copy;
    },
  );
}

/** Every object and array in `value`, itself first. */
function containers(value: unknown): (Record<string, unknown> | unknown[])[] {
  if (typeof value !== 'object' || value === null) return [];
  const children = Object.values(value as object).flatMap(containers);
  return [value as Record<string, unknown>, ...children];
}
