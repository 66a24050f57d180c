import { closestMatch } from '../../core/suggest.js';
import type { CorralApi } from '../api-client.js';
import type { JobObject, ServiceObject } from '../api-types.js';
import type { CliContext } from '../context.js';
import { CLI_DEFAULTS, EXIT } from '../defaults.js';
import { parseDuration } from '../duration.js';
import { ApiError, UsageError } from '../errors.js';
import { renderData } from '../render/format.js';
import { renderTable } from '../render/table.js';
import { jobHeaders, jobRow, jobsTable, serviceHeaders, serviceRow, servicesTable } from '../render/views.js';

export type ResourceKind = 'services' | 'jobs';

const KIND_WORDS: Record<string, ResourceKind> = {
  services: 'services',
  service: 'services',
  svc: 'services',
  jobs: 'jobs',
  job: 'jobs',
};

/**
 * `get`, `get services|jobs`, `get services|jobs NAME`, and `get NAME` (a service). A lone
 * word that names a kind is the kind, as in kubectl; kinds are case-blind (`Services`).
 */
export function parseKindAndName(args: readonly string[]): { kind: ResourceKind; name?: string } {
  if (args.length > 2) throw new UsageError(`expected [services|jobs] [NAME], got ${args.join(' ')}`);
  const [first, second] = args;
  if (first === undefined) return { kind: 'services' };
  const kind = KIND_WORDS[first.toLowerCase()];
  if (second !== undefined) {
    if (!kind) {
      const close = closestMatch(first, Object.keys(KIND_WORDS));
      throw new UsageError(`unknown kind "${first}"${close ? `; did you mean "${close}"?` : ''} (use services or jobs)`);
    }
    return { kind, name: second };
  }
  return kind ? { kind } : { kind: 'services', name: first };
}

export interface GetOptions {
  watch?: boolean;
  interval?: string;
  /** `--chunk-size`: the `limit` of each page the list is read in (every page is read). */
  chunkSize?: string;
}

/** `--chunk-size` as a page size the API accepts (1 to 500). */
function pageSize(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const size = /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(size >= 1 && size <= 500)) throw new UsageError(`--chunk-size must be a whole number from 1 to 500, got "${raw}"`);
  return size;
}

type Listing = { data: unknown; objects: (ServiceObject | JobObject)[] };

async function fetchListing(api: CorralApi, kind: ResourceKind, name: string | undefined, chunkSize?: number): Promise<Listing> {
  if (kind === 'services' && name) {
    const service = await api.getService(name);
    return { data: service, objects: [service] };
  }
  if (kind === 'services') {
    const list = await api.listServices(chunkSize);
    return { data: list, objects: list.services };
  }
  if (name) {
    const job = await api.getJob(name);
    return { data: job, objects: [job] };
  }
  const list = await api.listJobs(chunkSize);
  return { data: list, objects: list.jobs };
}

export async function getCommand(ctx: CliContext, args: readonly string[], options: GetOptions = {}): Promise<number> {
  const { kind, name } = parseKindAndName(args);
  const chunkSize = pageSize(options.chunkSize);
  const api = await ctx.api();
  const headers = kind === 'services' ? serviceHeaders(ctx.wide) : jobHeaders(ctx.wide);
  const row = (object: ServiceObject | JobObject) =>
    kind === 'services' ? serviceRow(object as ServiceObject, ctx.paint, ctx.wide) : jobRow(object as JobObject, ctx.now(), ctx.wide);
  const first = await fetchListing(api, kind, name, chunkSize);
  if (ctx.format === 'table') {
    ctx.print(
      kind === 'services'
        ? servicesTable(first.objects as ServiceObject[], ctx.paint, ctx.wide)
        : jobsTable(first.objects as JobObject[], ctx.now(), ctx.wide),
    );
  } else {
    ctx.print(renderData(ctx.format, first.data));
  }
  if (!options.watch) return EXIT.ok;
  return watch(ctx, api, { kind, name, chunkSize, headers, row, first, intervalMs: parseDuration(options.interval ?? CLI_DEFAULTS.watchInterval) });
}

/**
 * `get --watch`: looks again every interval and prints each object whose row (or, with -o
 * json|yaml|name|jsonpath, whose data) changed, as `kubectl get -w` prints updates, until
 * interrupted or the reader of stdout goes away. Rows are padded to the first table's columns.
 */
async function watch(
  ctx: CliContext,
  api: CorralApi,
  w: {
    kind: ResourceKind;
    name?: string;
    chunkSize: number | undefined;
    headers: string[];
    row: (object: ServiceObject | JobObject) => string[];
    first: Listing;
    intervalMs: number;
  },
): Promise<number> {
  const firstRows = w.first.objects.map(w.row);
  const line = (cells: string[]) => renderTable(w.headers, [...firstRows, cells]).split('\n').at(-1) ?? '';
  const fingerprint = (object: ServiceObject | JobObject) => (ctx.format === 'table' ? w.row(object).join('\u0000') : JSON.stringify(object));
  let last = new Map(w.first.objects.map((object) => [object.name, fingerprint(object)]));
  const single = w.kind === 'services' ? 'service' : 'job';
  while (!ctx.outputClosed()) {
    await ctx.sleep(w.intervalMs);
    let objects: (ServiceObject | JobObject)[];
    try {
      objects = (await fetchListing(api, w.kind, w.name, w.chunkSize)).objects;
    } catch (error) {
      // A watched object that goes away is news, not a failure.
      if (!(w.name && error instanceof ApiError && error.status === 404)) throw error;
      objects = [];
    }
    const now = new Map(objects.map((object) => [object.name, fingerprint(object)]));
    for (const object of objects) {
      if (last.get(object.name) === now.get(object.name)) continue;
      ctx.print(ctx.format === 'table' ? line(w.row(object)) : renderData(ctx.format, object));
    }
    for (const gone of last.keys()) if (!now.has(gone)) ctx.print(`${single}/${gone} deleted`);
    last = now;
  }
  return EXIT.ok;
}
