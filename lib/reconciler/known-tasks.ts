import type { ObservedTask as EcsTask } from '../aws/container-runtime.js';
import type { KnownTasks } from '../aws/state-store.js';

/** ECS lists a stopped task for at least an hour; a reconcile remembers it as long. */
const stoppedRetentionMs = 60 * 60_000;
/**
 * A task asked about that DescribeTasks did not return: ECS has forgotten it, or (just after
 * RunTask) does not show it yet. Kept this long after it became known, so a task that is merely
 * late is never dropped from the known set — dropping it would let the next plan start another.
 */
const unseenRetentionMs = 2 * 60 * 60_000;

/**
 * The service's task ARNs after a reconcile, each with when it first became known: what it
 * observed and what it started, less stopped tasks older than ECS's listing keeps them and
 * long-unseen ones. `asked` is what the reconcile described, when it observed known ARNs
 * rather than a listing.
 */
export function knownTasksAfter(
  previous: KnownTasks | undefined,
  observed: readonly EcsTask[],
  started: readonly string[],
  asked: readonly string[] | undefined,
  now: number,
): KnownTasks {
  const since = (arn: string) => previous?.[arn] ?? now;
  const known: KnownTasks = {};
  for (const task of observed) {
    if (task.lastStatus === 'STOPPED' && task.stoppedAt !== undefined && task.stoppedAt < now - stoppedRetentionMs) continue;
    known[task.taskArn] = since(task.taskArn);
  }
  for (const arn of started) known[arn] = since(arn);
  for (const arn of asked ?? []) {
    if (!(arn in known) && since(arn) >= now - unseenRetentionMs) known[arn] = since(arn);
  }
  return known;
}

/** The same ARNs (the times follow from them). */
export function sameKnownTasks(a: KnownTasks | undefined, b: KnownTasks): boolean {
  if (a === undefined) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((arn) => arn in b);
}
