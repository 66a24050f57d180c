import { describe, expect, it } from 'vitest';
import type { ServiceObject, ServiceStatus } from '../../lib/cli/api-types.js';
import { rolloutStatusCommand } from '../../lib/cli/commands/rollout-status.js';
import { jsonResponse, scriptedContext } from './scripted-context.js';

/** Each poll answers the next status, the last one repeating. */
function harness(statuses: Array<ServiceStatus & { generation?: number }>, tty = false) {
  let polls = 0;
  const scripted = scriptedContext(async () => {
    const { generation = 2, ...status } = statuses[Math.min(polls, statuses.length - 1)];
    polls += 1;
    const service: ServiceObject = { name: 'web', generation, spec: { image: 'nginx:2', replicas: 4 }, status };
    return jsonResponse(200, service);
  }, tty);
  return { ...scripted, polls: () => polls };
}

const counts = (updated: number, available: number) => ({ desired: 4, running: 4, healthy: available, updated, available });

describe('rollout status', () => {
  it('ignores an Available status from before the newest generation, then exits 0 once the new one is Available', async () => {
    const h = harness([
      { phase: 'Available', observedGeneration: 1, revision: 1, counts: counts(0, 4) },
      { phase: 'Progressing', observedGeneration: 2, revision: 2, counts: counts(2, 1) },
      { phase: 'Available', observedGeneration: 2, revision: 2, counts: counts(4, 4) },
    ]);
    expect(await rolloutStatusCommand(h.ctx, 'web', { interval: '1s' })).toBe(0);
    expect(h.polls()).toBe(3);
    expect(h.printed).toEqual([
      'web: Available revision 1: updated 0/4, available 4/4',
      'web: Progressing revision 2: updated 2/4, available 1/4',
      'web: Available revision 2: updated 4/4, available 4/4',
      'service/web rolled out: revision 2 available',
    ]);
  });

  it('prints a line only when something changed, off a terminal', async () => {
    const same = { phase: 'Progressing', observedGeneration: 2, revision: 2, counts: counts(1, 0) };
    const h = harness([same, same, same, { ...same, phase: 'Available', counts: counts(4, 4) }]);
    expect(await rolloutStatusCommand(h.ctx, 'web', { interval: '1s' })).toBe(0);
    expect(h.printed.filter((line) => line.includes('Progressing'))).toHaveLength(1);
  });

  it.each(['Failed', 'RolledBack'])('exits 2 when the rollout ends %s, with the status message', async (phase) => {
    const h = harness([
      { phase: 'Progressing', observedGeneration: 2, counts: counts(1, 0) },
      { phase, observedGeneration: 2, message: 'new tasks failed their health check', counts: counts(0, 4) },
    ]);
    expect(await rolloutStatusCommand(h.ctx, 'web', { interval: '1s' })).toBe(2);
    expect(h.printed.at(-1)).toBe(`service/web rollout ${phase}: new tasks failed their health check`);
  });

  it('says a paused rollout is paused and how to resume it, and exits 4 instead of waiting out --timeout', async () => {
    const h = harness([
      { phase: 'Progressing', observedGeneration: 2, counts: counts(1, 0) },
      { phase: 'Paused', observedGeneration: 2, message: 'Rollout of revision 2 paused: 2 of 4 updated, 2 available', counts: counts(2, 2) },
    ]);
    expect(await rolloutStatusCommand(h.ctx, 'web', { timeout: '10m', interval: '5s' })).toBe(4);
    expect(h.elapsed()).toBe(5_000);
    expect(h.printed.at(-1)).toBe('service/web rollout paused: Rollout of revision 2 paused: 2 of 4 updated, 2 available; resume it with: corral rollout resume web');
  });

  it('a Paused status from before the newest generation is not the verdict', async () => {
    const h = harness([
      { phase: 'Paused', observedGeneration: 1, counts: counts(2, 2) },
      { phase: 'Available', observedGeneration: 2, revision: 2, counts: counts(4, 4) },
    ]);
    expect(await rolloutStatusCommand(h.ctx, 'web', { interval: '1s' })).toBe(0);
  });

  it('exits 3 at --timeout while the rollout is still progressing', async () => {
    const h = harness([{ phase: 'Progressing', observedGeneration: 2, counts: counts(2, 2) }]);
    expect(await rolloutStatusCommand(h.ctx, 'web', { timeout: '30s', interval: '5s' })).toBe(3);
    expect(h.elapsed()).toBe(30_000);
    expect(h.printed.at(-1)).toBe('timed out after 30s waiting for service/web (phase Progressing)');
  });

  it('draws a progress bar on a terminal: available cells full, updated-not-available cells light', async () => {
    const h = harness(
      [
        { phase: 'Progressing', observedGeneration: 2, revision: 2, counts: counts(2, 1) },
        { phase: 'Available', observedGeneration: 2, revision: 2, counts: counts(4, 4) },
      ],
      true,
    );
    expect(await rolloutStatusCommand(h.ctx, 'web', { interval: '1s' })).toBe(0);
    // 4 desired on a 20-cell bar: 1 available = 5 full cells, 2 updated = 5 more light cells.
    expect(h.redrawn[0]).toBe(`web [${'█'.repeat(5)}${'▒'.repeat(5)}${'░'.repeat(10)}] updated 2/4, available 1/4 Progressing revision 2`);
    expect(h.redrawn[1]).toBe(`web [${'█'.repeat(20)}] updated 4/4, available 4/4 Available revision 2`);
  });
});
