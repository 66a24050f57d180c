/** How the API client repeats an idempotent request that met a 429 or a 5xx. */
export interface RetryPolicy {
  /** Repeats after the first try. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

/**
 * Exponential backoff with full jitter (AWS's recommendation for many clients at once):
 * attempt 0 waits up to base, attempt 1 up to 2 × base, … never more than max. A `Retry-After`
 * in seconds is honoured when it asks for longer, up to max.
 * Worked example, base 200 ms, max 5 s: the three waits are at most 200, 400 and 800 ms.
 */
export function retryDelayMs(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>, attempt: number, retryAfter?: string): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = Math.round(policy.random() * ceiling);
  const asked = retryAfter !== undefined && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) * 1000 : 0;
  return Math.min(policy.maxDelayMs, Math.max(jittered, asked));
}
