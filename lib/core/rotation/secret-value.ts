import { SecretShapeError } from './errors.js';

/**
 * A secret's value is either the password itself or a JSON object holding it under `key`
 * (the RDS convention: `{"username": ..., "password": ..., "host": ...}`).
 */
export type SecretShape = { kind: 'plain' } | { kind: 'json'; key: string };

/** Decides the shape from the current value; an object without `key` is a configuration error. */
export function shapeOf(secretId: string, value: string, key: string): SecretShape {
  const object = parseObject(value);
  if (object === undefined) return { kind: 'plain' };
  if (!Object.hasOwn(object, key)) {
    throw new SecretShapeError(
      secretId,
      `the value is a JSON object without the key "${key}"; ` +
        'name the key to rotate with the tag corral:password-key',
    );
  }
  if (typeof object[key] !== 'string') {
    throw new SecretShapeError(secretId, `the key "${key}" of the JSON value is not a string`);
  }
  return { kind: 'json', key };
}

/**
 * The value with its password replaced, every other key kept as it was.
 * Example: `{"username":"app","password":"old"}` with password `n3w`, key `password`
 * → `{"username":"app","password":"n3w"}`.
 */
export function withPassword(current: string, shape: SecretShape, password: string): string {
  if (shape.kind === 'plain') return password;
  const object = parseObject(current);
  if (object === undefined) throw new Error('withPassword: shape json needs a JSON object value');
  return JSON.stringify({ ...object, [shape.key]: password });
}

/** The password inside a value of the given shape, or undefined if the value lost that shape. */
export function passwordIn(value: string, shape: SecretShape): string | undefined {
  if (shape.kind === 'plain') return value;
  const field = parseObject(value)?.[shape.key];
  return typeof field === 'string' ? field : undefined;
}

/** The keys other than the password, for checking a new value kept them. */
export function otherFields(value: string, shape: SecretShape): Record<string, unknown> | undefined {
  if (shape.kind === 'plain') return {};
  const object = parseObject(value);
  if (object === undefined) return undefined;
  const { [shape.key]: _password, ...rest } = object;
  return rest;
}

function parseObject(value: string): Record<string, unknown> | undefined {
  if (!value.trimStart().startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
