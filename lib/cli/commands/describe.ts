import type { CliContext } from '../context.js';
import { CLI_DEFAULTS, EXIT } from '../defaults.js';
import { UsageError } from '../errors.js';
import { renderData } from '../render/format.js';
import { describeJob, describeService } from '../render/views.js';
import { parseKindAndName } from './get.js';

/** `describe NAME` (a service: spec, status, recent events) or `describe job NAME`. */
export async function describeCommand(ctx: CliContext, args: readonly string[]): Promise<number> {
  const { kind, name } = parseKindAndName(args);
  if (!name) throw new UsageError('describe needs a NAME');
  const api = await ctx.api();
  if (kind === 'jobs') {
    const job = await api.getJob(name);
    ctx.print(ctx.format === 'table' ? describeJob(job, ctx.now()) : renderData(ctx.format, job));
    return EXIT.ok;
  }
  const [service, { events }] = await Promise.all([api.getService(name), api.events(name)]);
  const recent = events.slice(0, CLI_DEFAULTS.describeEvents);
  ctx.print(
    ctx.format === 'table'
      ? describeService(service, recent, ctx.paint, ctx.now())
      : renderData(ctx.format, { ...service, events: recent }),
  );
  return EXIT.ok;
}
