/** What to do when a tick comes while earlier runs of the job are still active. */
export type ConcurrencyPolicy = 'Forbid' | 'Replace' | 'Allow';

export interface ActiveRun {
  runId: string;
  /** When the run started, epoch ms. */
  startedAt: number;
}

export interface DispatchDecision {
  /** Start a run for the tick. */
  start: boolean;
  /** Runs to stop first (Replace). */
  stop: string[];
  /** Why the tick is skipped, for the job's events (Forbid). */
  skipReason?: string;
}

/**
 * Forbid skips the tick while any run is active; Replace stops every active run and starts a
 * new one; Allow starts a new one beside them. With nothing active every policy starts.
 */
export function decideDispatch(
  policy: ConcurrencyPolicy,
  activeRuns: readonly ActiveRun[],
  tick: number,
): DispatchDecision {
  if (activeRuns.length === 0) return { start: true, stop: [] };
  switch (policy) {
    case 'Allow':
      return { start: true, stop: [] };
    case 'Replace':
      return { start: true, stop: activeRuns.map((run) => run.runId) };
    case 'Forbid': {
      const active = activeRuns.map((run) => `${run.runId} (started ${iso(run.startedAt)})`).join(', ');
      return {
        start: false,
        stop: [],
        skipReason: `skipped the ${iso(tick)} run: concurrencyPolicy Forbid and ${active} still active`,
      };
    }
  }
}

/**
 * Runs that have used up their time: running for `timeoutSeconds` or longer at `now`. No
 * timeout means runs may take as long as they need.
 */
export function timedOutRuns<T extends ActiveRun>(
  runs: readonly T[],
  timeoutSeconds: number | undefined,
  now: number,
): T[] {
  if (timeoutSeconds === undefined) return [];
  return runs.filter((run) => now - run.startedAt >= timeoutSeconds * 1000);
}

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}
