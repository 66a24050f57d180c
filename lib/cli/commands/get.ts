import type { CliContext } from '../context.js';
import { EXIT } from '../defaults.js';
import { UsageError } from '../errors.js';
import { renderData } from '../render/format.js';
import { jobsTable, servicesTable } from '../render/views.js';

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
 * word that names a kind is the kind, as in kubectl.
 */
export function parseKindAndName(args: readonly string[]): { kind: ResourceKind; name?: string } {
  if (args.length > 2) throw new UsageError(`expected [services|jobs] [NAME], got ${args.join(' ')}`);
  const [first, second] = args;
  if (first === undefined) return { kind: 'services' };
  const kind = KIND_WORDS[first];
  if (second !== undefined) {
    if (!kind) throw new UsageError(`unknown kind "${first}" (use services or jobs)`);
    return { kind, name: second };
  }
  return kind ? { kind } : { kind: 'services', name: first };
}

export async function getCommand(ctx: CliContext, args: readonly string[]): Promise<number> {
  const { kind, name } = parseKindAndName(args);
  const api = await ctx.api();
  const show = (data: unknown, table: () => string) =>
    ctx.print(ctx.format === 'table' ? table() : renderData(ctx.format, data));
  if (kind === 'services' && name) {
    const service = await api.getService(name);
    show(service, () => servicesTable([service], ctx.paint));
  } else if (kind === 'services') {
    const list = await api.listServices();
    show(list, () => servicesTable(list.services, ctx.paint));
  } else if (name) {
    const job = await api.getJob(name);
    show(job, () => jobsTable([job], ctx.now()));
  } else {
    const list = await api.listJobs();
    show(list, () => jobsTable(list.jobs, ctx.now()));
  }
  return EXIT.ok;
}
