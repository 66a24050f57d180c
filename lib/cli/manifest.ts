import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { closestMatch } from '../core/suggest.js';
import { ManifestError } from './errors.js';
import type { Spec } from './api-types.js';

export type ManifestKind = 'Service' | 'Job';

export interface ManifestDocument {
  kind: ManifestKind;
  name: string;
  spec: Spec;
}

const KINDS: Record<string, ManifestKind> = { service: 'Service', job: 'Job' };

/**
 * Reads `{kind, name, spec}` documents from JSON or YAML: one document, several separated by
 * `---`, or a top-level list (JSON is YAML, so one parser serves both). Only the envelope is
 * checked here (`kind` is case-blind: Service, service and SERVICE are one kind); the spec itself is the API's to validate, so its field errors reach the user
 * exactly as the API words them. `defaultKind` lets `corral jobs apply` omit `kind`.
 */
export function parseManifest(text: string, source: string, defaultKind?: ManifestKind): ManifestDocument[] {
  const entries: unknown[] = [];
  for (const [index, document] of parseAllDocuments(text).entries()) {
    const problem = document.errors[0];
    if (problem) throw new ManifestError(`${source}: document ${index + 1}: ${problem.message}`, { cause: problem });
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) entries.push(...value);
    else entries.push(value);
  }
  if (entries.length === 0) throw new ManifestError(`${source}: no documents`);
  const documents = entries.map((entry, index) => toDocument(entry, `${source}: item ${index + 1}`, defaultKind));
  const seen = new Set<string>();
  for (const document of documents) {
    const key = `${document.kind}/${document.name}`;
    if (seen.has(key)) throw new ManifestError(`${source}: ${key} appears twice`);
    seen.add(key);
  }
  return documents;
}

export async function readManifest(path: string, defaultKind?: ManifestKind): Promise<ManifestDocument[]> {
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    throw new ManifestError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  return parseManifest(text, path === '-' ? 'stdin' : path, defaultKind);
}

function toDocument(entry: unknown, where: string, defaultKind: ManifestKind | undefined): ManifestDocument {
  if (!isRecord(entry)) throw new ManifestError(`${where}: expected an object with kind, name and spec`);
  const rawKind = entry.kind ?? defaultKind;
  const kind = typeof rawKind === 'string' ? KINDS[rawKind.toLowerCase()] : undefined;
  if (!kind) {
    const close = typeof rawKind === 'string' ? closestMatch(rawKind, ['Service', 'Job']) : undefined;
    throw new ManifestError(`${where}: kind must be Service or Job (got ${JSON.stringify(rawKind ?? null)})${close ? `; did you mean ${close}?` : ''}`);
  }
  if (typeof entry.name !== 'string' || entry.name === '') {
    throw new ManifestError(`${where}: name must be a non-empty string`);
  }
  if (!isRecord(entry.spec)) throw new ManifestError(`${where} (${kind} ${entry.name}): spec must be an object`);
  const extra = Object.keys(entry).filter((key) => !['kind', 'name', 'spec'].includes(key));
  if (extra.length > 0) {
    throw new ManifestError(`${where} (${kind} ${entry.name}): unknown top-level field ${extra.join(', ')} (fields go under spec)`);
  }
  return { kind, name: entry.name, spec: entry.spec };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
