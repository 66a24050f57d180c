import type { CorralApi } from '../api-client.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../defaults.js';
import { ApiError } from '../errors.js';
import { readManifest, type ManifestDocument, type ManifestKind } from '../manifest.js';
import { renderData } from '../render/format.js';
import { diffLines } from '../render/views.js';
import { diffSpecs, type DiffLine } from '../spec-diff.js';
import { normalizeSpec } from '../spec-normalize.js';
import { apiErrorText } from './report-error.js';

export interface ApplyOptions {
  file: string;
  dryRun?: boolean;
}

type Outcome = 'created' | 'changed' | 'unchanged' | 'failed';

interface ApplyResult {
  kind: ManifestKind;
  name: string;
  outcome: Outcome;
  generation?: number;
  changes: DiffLine[];
  error?: { code: string; message: string; details: readonly { field: string; message: string }[] };
}

/**
 * `corral apply -f FILE`: for each document, GET the current spec, show what would change
 * field by field, and PUT it unless nothing changed or `--dry-run` (which only ever GETs, and
 * reports field errors from the same validator the API runs).
 * One rejected document does not stop the others; the exit code is then 1.
 */
export async function applyCommand(ctx: CliContext, options: ApplyOptions, defaultKind?: ManifestKind): Promise<number> {
  const documents = await readManifest(options.file, defaultKind);
  const api = await ctx.api();
  const results: ApplyResult[] = [];
  for (const document of documents) {
    const result = await applyOne(api, document, options.dryRun === true);
    results.push(result);
    if (ctx.format !== 'table') continue;
    const text = describeResult(ctx, result, options.dryRun === true);
    if (result.outcome === 'failed') ctx.warn(text);
    else ctx.print(text);
  }
  if (ctx.format !== 'table') ctx.print(renderData(ctx.format, { dryRun: options.dryRun === true, results }));
  return results.some((result) => result.outcome === 'failed') ? EXIT.error : EXIT.ok;
}

async function applyOne(api: CorralApi, document: ManifestDocument, dryRun: boolean): Promise<ApplyResult> {
  const { kind, name, spec } = document;
  const base = { kind, name };
  const normalized = normalizeSpec(kind, spec);
  try {
    const current = kind === 'Service' ? await api.findService(name) : await api.findJob(name);
    // A new object shows the fields as written; an existing one is compared as the API stores it.
    const changes = current ? diffSpecs(current.spec, normalized.ok ? normalized.spec : spec) : diffSpecs({}, spec);
    const outcome: Outcome = !current ? 'created' : changes.length === 0 ? 'unchanged' : 'changed';
    if (dryRun && !normalized.ok) {
      const error = { code: 'ValidationError', message: 'the spec is invalid (checked locally, nothing sent)', details: normalized.errors };
      return { ...base, outcome: 'failed', changes, error };
    }
    if (dryRun || outcome === 'unchanged') return { ...base, outcome, generation: current?.generation, changes };
    const written = await put(api, document, current?.generation);
    return { ...base, outcome, generation: written.generation, changes };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return {
      ...base,
      outcome: 'failed',
      changes: [],
      error: { code: error.code, message: error.apiMessage, details: error.details },
    };
  }
}

/**
 * A service is written with If-Match on the generation the diff was computed from, so a change
 * someone else made in between is refused (412) rather than silently overwritten.
 */
async function put(api: CorralApi, { kind, name, spec }: ManifestDocument, readGeneration: number | undefined): Promise<{ generation: number }> {
  const { object } = kind === 'Service' ? await api.putService(name, spec, readGeneration) : await api.putJob(name, spec);
  return object;
}

function describeResult(ctx: CliContext, result: ApplyResult, dryRun: boolean): string {
  const label = `${result.kind.toLowerCase()}/${result.name}`;
  if (result.error) {
    return apiErrorText(ctx.paint, `${label} rejected`, result.error.code, result.error.message, result.error.details);
  }
  const suffix = dryRun ? ' (dry run)' : result.outcome !== 'unchanged' && result.generation !== undefined ? ` (generation ${result.generation})` : '';
  const headline = `${label} ${result.outcome}${suffix}`;
  return result.changes.length === 0 ? headline : `${headline}\n${diffLines(result.changes, ctx.paint)}`;
}
