import { createHash } from 'node:crypto';

/**
 * RunTask's `clientToken` for one batch of a launch plan.
 *
 * ECS makes RunTask idempotent per cluster: a request repeating a token (and its parameters)
 * within the token's lifetime (up to 24 h) launches nothing and answers with the first
 * request's result. So the token must be
 *   - the same when a retried or concurrent invocation computes the same plan from the same
 *     observation — the case where the first launch happened but is not visible yet (the
 *     invocation died after RunTask, or ListTasks has not caught up): the repeat launches
 *     nothing;
 *   - different for every launch that is legitimately new.
 *
 * Why hashing (service, revision, generation, fleet, batch, attempt) separates the two:
 *   - `fleet` is every task ARN the plan was computed from, from BOTH the RUNNING and the
 *     STOPPED listings. A launch adds new ARNs (ECS never reuses one), and a stopped task stays
 *     listable for at least an hour, so every observation after launch L — including the one
 *     that sees L's tasks crash and plans their replacement — has a fleet that contains L's
 *     tasks, which L's own fleet did not. (Passing only running tasks would break this: a
 *     crashed task's replacement would be planned from the very fleet that launched it, and
 *     ECS would answer with the crashed task instead of a new one.)
 *   - `generation` and `revision` change with every spec change, so a scale or a rollout never
 *     meets a token of an earlier one; `batch` separates the ≤ 10-task calls of one plan.
 *   - `attempt` covers the one launch that adds nothing to the fleet: RunTask answering only
 *     with `failures` (no capacity). Repeating that token would replay the failure, so the
 *     caller advances `attempt` (kept in its fenced status, e.g. the consecutive launch
 *     failures behind its backoff) once it has recorded such an outcome.
 *   - `incarnation` tells apart two services of the same name (one deleted, one created later
 *     with generation and revision starting again at 1 and, an hour on, an empty fleet).
 * What is left: the same fleet recurring within 24 h, which needs every task of the earlier
 * launch gone from both listings (stopped for over an hour) with nothing launched since under
 * the same generation and `attempt` — only possible if the service was left unreconciled for an
 * hour. The caller can rule that out by advancing `attempt` after every launch.
 *
 * Format: SHA-256 of a canonical JSON array, base64url — 43 characters of [A-Za-z0-9_-], inside
 * RunTask's limit of 64 printable ASCII characters. The leading scheme version keeps a future
 * change of inputs from ever matching a token of this one.
 */
export interface RunTaskTokenInput {
  service: string;
  /** Tells this service from an earlier one of the same name, e.g. its creation time. */
  incarnation: string;
  revision: number;
  generation: number;
  /** Task ARNs of the observation the plan was computed from, RUNNING and STOPPED; any order. */
  fleet: readonly string[];
  /** Index of this RunTask call among the plan's calls of ≤ 10 tasks. */
  batch: number;
  /** Advanced by the caller after a launch that came back with failures only; default 0. */
  attempt?: number;
}

const tokenScheme = 1;

export function runTaskClientToken(input: RunTaskTokenInput): string {
  const attempt = input.attempt ?? 0;
  for (const [name, value] of [
    ['revision', input.revision],
    ['generation', input.generation],
    ['batch', input.batch],
    ['attempt', attempt],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
    }
  }
  const fleet = [...new Set(input.fleet)].sort();
  const canonical = JSON.stringify([
    tokenScheme,
    input.service,
    input.incarnation,
    input.revision,
    input.generation,
    fleet,
    input.batch,
    attempt,
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}
