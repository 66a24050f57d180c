import type { Desired, ObservedTask, ServiceStatus } from './types.js';

/**
 * Revisions to delete: all but the newest `revisionHistoryLimit`, except the ones still in use —
 * the wanted revision, the stable and the running one, and any revision a live task runs.
 *
 *   revisions 1..13, limit 10 → candidates 1, 2, 3; stable revision 2 → prune [1, 3].
 */
export function prunableRevisions(desired: Desired, tasks: readonly ObservedTask[], status: ServiceStatus): number[] {
  const limit = desired.revisionHistoryLimit;
  const revisions = desired.revisions;
  if (limit === undefined || revisions === undefined || revisions.length <= limit) return [];
  const inUse = new Set<number>([desired.revision, status.revision, status.targetRevision]);
  if (status.stableRevision !== undefined) inUse.add(status.stableRevision);
  for (const task of tasks) if (task.lastStatus !== 'STOPPED') inUse.add(task.revision);
  return [...revisions]
    .sort((a, b) => b - a)
    .slice(Math.max(0, limit))
    .filter((revision) => !inUse.has(revision))
    .sort((a, b) => a - b);
}
