import type { CliContext } from '../context.js';
import { EXIT } from '../defaults.js';
import { renderData } from '../render/format.js';
import { consumerList, describeSecret } from '../render/views.js';

/** `secrets rotate NAME`: rotates now; consumers are restarted by Corral afterwards. */
export async function rotateSecretCommand(ctx: CliContext, name: string): Promise<number> {
  const answer = await (await ctx.api()).rotateSecret(name);
  const text = `secret/${name} rotation started; services to restart: ${consumerList(answer.consumers)}`;
  ctx.print(ctx.format === 'table' ? text : renderData(ctx.format, answer));
  return EXIT.ok;
}

/** `secrets get NAME`: last and next rotation and the services that use it (never the value). */
export async function getSecretCommand(ctx: CliContext, name: string): Promise<number> {
  const secret = await (await ctx.api()).getSecret(name);
  ctx.print(ctx.format === 'table' ? describeSecret(secret, ctx.now()) : renderData(ctx.format, secret));
  return EXIT.ok;
}
