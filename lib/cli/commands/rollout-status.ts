import type { ServiceObject } from '../api-types.js';
import type { CliContext } from '../context.js';
import { CLI_DEFAULTS, EXIT } from '../defaults.js';
import { parseDuration } from '../duration.js';
import { progressLine } from '../render/progress.js';

export interface RolloutStatusOptions {
  timeout?: string;
  interval?: string;
}

const FAILED_PHASES = new Set(['Failed', 'RolledBack', 'Aborted']);

/**
 * `rollout status NAME`: polls the service until the rollout of its current generation ends.
 * A phase only counts once the reconciler has seen the newest spec (observedGeneration ≥
 * generation): right after an apply the status still describes the previous generation, and
 * its "Available" would be a false success. Exit 0 Available, 2 Failed/RolledBack, 3 timeout,
 * 4 paused (it says how to resume).
 */
export async function rolloutStatusCommand(ctx: CliContext, name: string, options: RolloutStatusOptions): Promise<number> {
  const timeoutMs = parseDuration(options.timeout ?? CLI_DEFAULTS.rolloutTimeout);
  const intervalMs = parseDuration(options.interval ?? CLI_DEFAULTS.rolloutInterval);
  const api = await ctx.api();
  const deadline = ctx.now() + timeoutMs;
  let lastLine = '';
  for (;;) {
    const service = await api.getService(name);
    const line = progressLine(service, ctx.paint, ctx.tty);
    if (ctx.tty) ctx.redraw(line);
    else if (line !== lastLine) ctx.print(line);
    lastLine = line;
    const verdict = judge(service);
    if (verdict !== 'waiting') {
      if (ctx.tty) ctx.print('');
      ctx.print(verdictText(service, verdict, ctx));
      return verdict === 'available' ? EXIT.ok : verdict === 'paused' ? EXIT.paused : EXIT.rolloutFailed;
    }
    const left = deadline - ctx.now();
    if (left <= 0) {
      if (ctx.tty) ctx.print('');
      ctx.print(ctx.paint('red', `timed out after ${options.timeout ?? CLI_DEFAULTS.rolloutTimeout} waiting for service/${name} (phase ${service.status?.phase ?? 'unknown'})`));
      return EXIT.timeout;
    }
    await ctx.sleep(Math.min(intervalMs, left));
  }
}

type Verdict = 'available' | 'failed' | 'paused' | 'waiting';

function judge(service: ServiceObject): Verdict {
  const status = service.status ?? {};
  if ((status.observedGeneration ?? 0) < service.generation) return 'waiting';
  if (status.phase === 'Available') return 'available';
  // A paused rollout does not move until resumed: waiting out the timeout would tell nothing.
  if (status.phase === 'Paused') return 'paused';
  if (status.phase && FAILED_PHASES.has(status.phase)) return 'failed';
  return 'waiting';
}

function verdictText(service: ServiceObject, verdict: Verdict, ctx: CliContext): string {
  const status = service.status ?? {};
  if (verdict === 'available') {
    return ctx.paint('green', `service/${service.name} rolled out: revision ${status.revision ?? '?'} available`);
  }
  if (verdict === 'paused' && status.rollout?.waiting?.kind === 'untilPromoted') {
    // A canary at a pause step: its message already names `corral rollout promote`.
    return ctx.paint('yellow', `service/${service.name} rollout paused at a canary step${status.message ? `: ${status.message}` : ''}`);
  }
  if (verdict === 'paused') {
    return ctx.paint('yellow', `service/${service.name} rollout paused${status.message ? `: ${status.message}` : ''}; resume it with: corral rollout resume ${service.name}`);
  }
  const message = status.message ? `: ${status.message}` : '';
  return ctx.paint('red', `service/${service.name} rollout ${status.phase}${message}`);
}
