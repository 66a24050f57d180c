import type { CliContext } from '../context.js';
import { EXIT } from '../defaults.js';
import { UsageError } from '../errors.js';
import { renderData } from '../render/format.js';

export type RolloutAction = 'pause' | 'resume' | 'undo';

/** `rollout pause|resume|undo NAME [--to-revision N]`; undo is the API's rollback. */
export async function rolloutActionCommand(
  ctx: CliContext,
  action: RolloutAction,
  name: string,
  options: { toRevision?: string },
): Promise<number> {
  if (options.toRevision !== undefined && action !== 'undo') throw new UsageError('--to-revision goes with undo only');
  const revision = parseRevision(options.toRevision);
  const api = await ctx.api();
  const answer =
    action === 'pause' ? await api.pause(name) : action === 'resume' ? await api.resume(name) : await api.rollback(name, revision);
  const rollback = (answer as { rollback?: { message?: string } } | undefined)?.rollback;
  const text =
    action === 'undo'
      ? `service/${name}: ${rollback?.message ?? `rolling back to ${revision === undefined ? 'the previous stable revision' : `revision ${revision}`}`}`
      : `service/${name} rollout ${action === 'pause' ? 'paused' : 'resumed'}`;
  ctx.print(ctx.format === 'table' ? text : renderData(ctx.format, answer));
  return EXIT.ok;
}

function parseRevision(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--to-revision must be a revision number, got "${text}"`);
  return Number(text);
}
