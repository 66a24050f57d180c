/**
 * A deep copy of `input` as plain JSON data, or undefined when it has no JSON form (undefined,
 * a cycle, a BigInt, a getter that throws). Validation fills defaults into this copy, so the
 * caller's value is never mutated; and keys such as "__proto__" become ordinary own properties
 * (JSON.parse defines them), so no input can reach an object's prototype.
 */
export function cloneAsJson(input: unknown): unknown {
  try {
    const text = JSON.stringify(input);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
