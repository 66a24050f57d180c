import { describe, expect, it } from 'vitest';
import { decideDispatch, timedOutRuns, type ActiveRun } from '../../../lib/core/jobs/index.js';

const tick = Date.parse('2026-11-25T12:00:00Z');
const runA: ActiveRun = { runId: 'run-a', startedAt: tick - 60_000 };
const runB: ActiveRun = { runId: 'run-b', startedAt: tick - 30_000 };

describe('decideDispatch', () => {
  it.each(['Forbid', 'Replace', 'Allow'] as const)('%s starts when nothing is active', (policy) => {
    expect(decideDispatch(policy, [], tick)).toEqual({ start: true, stop: [] });
  });

  it('Forbid skips while a run is active and says why', () => {
    const decision = decideDispatch('Forbid', [runA], tick);
    expect(decision.start).toBe(false);
    expect(decision.stop).toEqual([]);
    expect(decision.skipReason).toBe(
      'skipped the 2026-11-25T12:00:00.000Z run: concurrencyPolicy Forbid and run-a (started 2026-11-25T11:59:00.000Z) still active',
    );
  });

  it('Replace stops every active run and starts a new one', () => {
    expect(decideDispatch('Replace', [runA, runB], tick)).toEqual({ start: true, stop: ['run-a', 'run-b'] });
  });

  it('Allow starts beside active runs', () => {
    expect(decideDispatch('Allow', [runA, runB], tick)).toEqual({ start: true, stop: [] });
  });
});

describe('timedOutRuns', () => {
  const runs = [
    { runId: 'old', startedAt: 0, image: 'x' },
    { runId: 'edge', startedAt: 40_000, image: 'y' },
    { runId: 'young', startedAt: 40_001, image: 'z' },
  ];

  it('picks the runs that have run for the timeout or longer, keeping their fields', () => {
    expect(timedOutRuns(runs, 60, 100_000)).toEqual([runs[0], runs[1]]);
  });

  it('picks none without a timeout', () => {
    expect(timedOutRuns(runs, undefined, Number.MAX_SAFE_INTEGER)).toEqual([]);
  });

  it('picks none before any run reaches the timeout', () => {
    expect(timedOutRuns(runs, 3600, 100_000)).toEqual([]);
  });
});
