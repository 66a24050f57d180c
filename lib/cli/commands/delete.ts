import type { CliContext } from '../context.js';
import { EXIT } from '../defaults.js';
import { UsageError } from '../errors.js';
import { renderData } from '../render/format.js';
import { parseKindAndName } from './get.js';

/** `delete NAME` (a service: its tasks are stopped, then it is removed) or `delete job NAME`. */
export async function deleteCommand(ctx: CliContext, args: readonly string[]): Promise<number> {
  const { kind, name } = parseKindAndName(args);
  if (!name) throw new UsageError('delete needs a NAME');
  const api = await ctx.api();
  const answer = kind === 'jobs' ? await api.deleteJob(name) : await api.deleteService(name);
  const text = `${kind === 'jobs' ? 'job' : 'service'}/${name} deleted (its running tasks are being stopped)`;
  ctx.print(ctx.format === 'table' ? text : renderData(ctx.format, answer));
  return EXIT.ok;
}
