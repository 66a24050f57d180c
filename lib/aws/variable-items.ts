/**
 * How `environment` and `secrets` maps are kept in DynamoDB: as lists of `{name, value}` pairs,
 * the shape ECS gives them. The document client's marshaller reads and writes map keys with
 * plain assignment, so a variable called `__proto__` would vanish (or set a prototype) and one
 * called `constructor` makes marshalling throw; as list items, names are ordinary strings.
 * Reading also accepts the plain maps written before this encoding.
 */
interface WithVariables {
  environment: Record<string, string>;
  secrets: Record<string, string>;
}

interface StoredPair {
  name: string;
  value: string;
}

export function toStoredVariables<T extends WithVariables>(value: T): Omit<T, keyof WithVariables> & Record<keyof WithVariables, StoredPair[]> {
  return { ...value, environment: toPairs(value.environment), secrets: toPairs(value.secrets) };
}

export function fromStoredVariables<T extends WithVariables>(stored: unknown): T {
  const item = stored as Record<string, unknown>;
  return { ...item, environment: fromPairs(item.environment), secrets: fromPairs(item.secrets) } as T;
}

function toPairs(variables: Record<string, string>): StoredPair[] {
  return Object.entries(variables).map(([name, value]) => ({ name, value }));
}

/** Object.fromEntries defines own properties, so every name, `__proto__` included, stays a key. */
function fromPairs(stored: unknown): Record<string, string> {
  if (Array.isArray(stored)) return Object.fromEntries((stored as StoredPair[]).map((p) => [p.name, p.value]));
  return Object.fromEntries(Object.entries((stored ?? {}) as Record<string, string>));
}
