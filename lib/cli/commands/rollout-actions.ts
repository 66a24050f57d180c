import type { CliContext } from '../context.js';
import { EXIT } from '../defaults.js';
import { UsageError } from '../errors.js';
import { renderData } from '../render/format.js';

export type RolloutAction = 'pause' | 'resume' | 'undo' | 'promote' | 'abort';

/** `rollout pause|resume|undo|promote|abort NAME [--to-revision N] [--full]`; undo is the API's rollback. */
export async function rolloutActionCommand(
  ctx: CliContext,
  action: RolloutAction,
  name: string,
  options: { toRevision?: string; full?: boolean },
): Promise<number> {
  if (options.toRevision !== undefined && action !== 'undo') throw new UsageError('--to-revision goes with undo only');
  if (options.full && action !== 'promote') throw new UsageError('--full goes with promote only');
  const revision = parseRevision(options.toRevision);
  const api = await ctx.api();
  const answer =
    action === 'pause' ? await api.pause(name)
    : action === 'resume' ? await api.resume(name)
    : action === 'promote' ? await api.promote(name, options.full === true)
    : action === 'abort' ? await api.abort(name)
    : await api.rollback(name, revision);
  const rollback = (answer as { rollback?: { message?: string } } | undefined)?.rollback;
  const text =
    action === 'undo'
      ? `service/${name}: ${rollback?.message ?? `rolling back to ${revision === undefined ? 'the previous stable revision' : `revision ${revision}`}`}`
      : action === 'promote'
        ? `service/${name} promoted${options.full ? ' fully: skipping the remaining steps' : ' to the next step'}`
        : action === 'abort'
          ? `service/${name} rollout aborted: going back to the stable revision`
          : `service/${name} rollout ${action === 'pause' ? 'paused' : 'resumed'}`;
  ctx.print(ctx.format === 'table' ? text : renderData(ctx.format, answer));
  return EXIT.ok;
}

function parseRevision(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--to-revision must be a revision number, got "${text}"`);
  return Number(text);
}
