import { isDeepStrictEqual } from 'node:util';

export type DiffLine = { op: '+' | '-'; path: string; value: unknown };

/**
 * Field-by-field difference between the stored spec and the one being applied, as `-` (old
 * value) and `+` (new value) lines keyed by dotted field path. Objects are walked; arrays and
 * scalars are compared whole, so `command: [a, b]` → `[a, c]` is one `-` and one `+` line.
 * Example: {image: "a", env: {X: "1"}} → {image: "b", env: {X: "1", Y: "2"}} gives
 *   - image "a", + image "b", + env.Y "2".
 */
export function diffSpecs(current: unknown, desired: unknown, prefix = ''): DiffLine[] {
  if (isRecord(current) && isRecord(desired)) {
    const keys = [...new Set([...Object.keys(current), ...Object.keys(desired)])].sort();
    return keys.flatMap((key) => {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (!(key in desired)) return leaves(current[key], path, '-');
      if (!(key in current)) return leaves(desired[key], path, '+');
      return diffSpecs(current[key], desired[key], path);
    });
  }
  if (isDeepStrictEqual(current, desired)) return [];
  return [...leaves(current, prefix, '-'), ...leaves(desired, prefix, '+')];
}

function leaves(value: unknown, path: string, op: '+' | '-'): DiffLine[] {
  if (isRecord(value) && Object.keys(value).length > 0) {
    return Object.keys(value)
      .sort()
      .flatMap((key) => leaves(value[key], path === '' ? key : `${path}.${key}`, op));
  }
  return [{ op, path, value }];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
