import type { CliContext } from '../context.js';
import { EXIT } from '../defaults.js';
import { renderData } from '../render/format.js';
import { eventsTable } from '../render/views.js';

/** `events NAME`: the service's recent events, newest first, as the API orders them. */
export async function eventsCommand(ctx: CliContext, name: string): Promise<number> {
  const answer = await (await ctx.api()).events(name);
  ctx.print(ctx.format === 'table' ? eventsTable(answer.events, ctx.now()) : renderData(ctx.format, answer));
  return EXIT.ok;
}
