import { createHash } from 'node:crypto';

const tokenScheme = 'job-run/1';

/**
 * RunTask's `clientToken` for the run of `job` at `tick` (epoch ms): the same for every attempt
 * to start that run, so a retried or concurrent launch of one tick gets ECS's answer to the
 * first (the same task) rather than a second task. Ticks only grow (a re-created job is
 * anchored at its creation and never revisits an earlier tick), so no two runs share a token.
 * SHA-256, base64url: 43 characters, inside RunTask's 64.
 */
export function jobRunClientToken(job: string, tick: number): string {
  return createHash('sha256').update(JSON.stringify([tokenScheme, job, tick])).digest('base64url');
}
