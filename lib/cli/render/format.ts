import { stringify } from 'yaml';
import { UsageError } from '../errors.js';

export type OutputFormat = 'table' | 'json' | 'yaml';

export function parseOutputFormat(text: string): OutputFormat {
  if (text === 'table' || text === 'json' || text === 'yaml') return text;
  throw new UsageError(`-o must be json, yaml or table (got "${text}")`);
}

/** The machine-readable formats print the API's objects unchanged. */
export function renderData(format: 'json' | 'yaml', data: unknown): string {
  return format === 'json' ? JSON.stringify(data, null, 2) : stringify(data).trimEnd();
}

/** A spec value on one line: JSON, so `3` and `"3"` stay distinguishable. */
export function inlineValue(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}
