import type { CliContext } from '../context.js';
import { EXIT } from '../defaults.js';
import { UsageError } from '../errors.js';
import { renderData } from '../render/format.js';

/** `scale NAME N`: changes replicas only (the API checks the 0..1000 range). */
export async function scaleCommand(ctx: CliContext, name: string, count: string): Promise<number> {
  if (!/^\d+$/.test(count)) throw new UsageError(`replicas must be a whole number, got "${count}"`);
  const replicas = Number(count);
  const answer = await (await ctx.api()).scale(name, replicas);
  ctx.print(ctx.format === 'table' ? `service/${name} scaled to ${replicas}` : renderData(ctx.format, answer));
  return EXIT.ok;
}
