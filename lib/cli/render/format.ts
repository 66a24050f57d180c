import { JSONPath } from 'jsonpath-plus';
import { stringify } from 'yaml';
import { UsageError } from '../errors.js';

/** `-o`: the human table (`wide` adds columns), the API's objects, their names, or a JSONPath. */
export type OutputFormat = 'table' | 'json' | 'yaml' | 'name' | `jsonpath=${string}`;

export interface OutputChoice {
  format: OutputFormat;
  /** `-o wide`: the table with more columns. */
  wide: boolean;
}

const usage = '-o must be table, wide, json, yaml, name or jsonpath=EXPR';

export function parseOutputFormat(text: string): OutputChoice {
  if (text === 'wide') return { format: 'table', wide: true };
  if (text === 'table' || text === 'json' || text === 'yaml' || text === 'name') return { format: text, wide: false };
  if (text.startsWith('jsonpath=')) {
    const expression = jsonPathExpression(text.slice('jsonpath='.length));
    // Try it now, so a typo is a usage error before anything is sent. jsonpath-plus compiles
    // filters lazily, when they meet a child, so the probe has children at two levels.
    evaluate(expression, { probe: [{ probe: 1 }] });
    return { format: `jsonpath=${expression}`, wide: false };
  }
  throw new UsageError(`${usage} (got "${text}")`);
}

/**
 * kubectl writes `{.services[*].name}`; JSONPath proper is `$.services[*].name`. Both work.
 */
function jsonPathExpression(text: string): string {
  const inner = /^\{(.*)\}$/s.exec(text.trim())?.[1] ?? text.trim();
  if (inner === '') throw new UsageError('-o jsonpath= needs an expression, e.g. jsonpath={.services[*].name}');
  return inner.startsWith('.') || inner.startsWith('[') ? `$${inner}` : inner;
}

function evaluate(expression: string, data: unknown): unknown[] {
  try {
    return JSONPath({ path: expression, json: data as object, wrap: true }) as unknown[];
  } catch (error) {
    throw new UsageError(`-o jsonpath: cannot parse ${expression}: ${(error as Error).message}`, { cause: error });
  }
}

/** The machine-readable formats print the API's objects unchanged (or what a JSONPath picks of them). */
export function renderData(format: Exclude<OutputFormat, 'table'>, data: unknown): string {
  if (format === 'json') return JSON.stringify(data, null, 2);
  if (format === 'yaml') return stringify(data).trimEnd();
  if (format === 'name') return objectNames(data).join('\n');
  // As kubectl: strings bare, anything else as JSON, several results on one line.
  return evaluate(format.slice('jsonpath='.length), data)
    .map((value) => (typeof value === 'string' ? value : JSON.stringify(value)))
    .join(' ');
}

/** `kind/name` of each object in an answer, as `kubectl -o name` prints them. */
function objectNames(data: unknown): string[] {
  if (!isRecord(data)) return [];
  if (Array.isArray(data.services)) return data.services.flatMap((s) => (isRecord(s) ? [`service/${String(s.name)}`] : []));
  if (Array.isArray(data.jobs)) return data.jobs.flatMap((j) => (isRecord(j) ? [`job/${String(j.name)}`] : []));
  if (Array.isArray(data.results)) {
    return data.results.flatMap((r) => (isRecord(r) ? [`${String(r.kind).toLowerCase()}/${String(r.name)}`] : []));
  }
  if (typeof data.name !== 'string') return [];
  const spec = isRecord(data.spec) ? data.spec : undefined;
  const kind = spec === undefined ? (Array.isArray(data.consumers) ? 'secret' : 'service') : 'schedule' in spec ? 'job' : 'service';
  return [`${kind}/${data.name}`];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A spec value on one line: JSON, so `3` and `"3"` stay distinguishable. */
export function inlineValue(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}
