import { canAcquire, type Lease } from './lease.js';
import type { LeaseOptions } from './options.js';

/** A lease from the holder's side: the record it got back and when, on its own clock. */
export interface HeldLease {
  readonly lease: Lease;
  /**
   * The holder's clock when it *sent* the acquire or renew that returned `lease`: the `now` the
   * stored expiry was computed from. Counting from the send rather than the reply means a slow
   * reply only shortens the holder's belief, never stretches it past what the store recorded.
   */
  readonly confirmedAt: number;
}

/** The instant (holder's clock) from which the holder must stop acting unless it renewed. */
export function leadershipEndsAt(held: HeldLease, options: LeaseOptions): number {
  return held.confirmedAt + options.renewDeadlineMs;
}

/**
 * Whether the holder may act at `now` (its own clock): it holds a lease confirmed less than
 * renewDeadline ago. Ending at the renew deadline rather than at the stored expiry is what buys
 * the clock-skew margin described in clock-skew.ts.
 */
export function isLeading(held: HeldLease | undefined, now: number, options: LeaseOptions): boolean {
  return held !== undefined && now < leadershipEndsAt(held, options);
}

/** A holder renews once a retry period has passed since its last confirmation. */
export function shouldRenew(held: HeldLease, now: number, options: LeaseOptions): boolean {
  return now >= held.confirmedAt + options.retryPeriodMs;
}

/** What a contender or holder should do next. */
export type LeaseStep =
  /** Held and confirmed within the retry period: no call needed. */
  | { readonly kind: 'keep' }
  /** Held: extend it, keeping the token (succeeds only while the token is still current). */
  | { readonly kind: 'renew'; readonly lease: Lease }
  /** Not held, and as far as we know free: try to acquire (a new token if it succeeds). */
  | { readonly kind: 'acquire' }
  /** Someone else's unexpired lease was last seen: no call before `until` (contender's clock). */
  | { readonly kind: 'wait'; readonly until: number };

/**
 * Decides the next step from what this holder knows: the lease it holds, if any, and the last
 * record it observed when an acquisition failed. Waiting out an observed lease spares the
 * store a write per contender per retry; the record may be stale (the holder renewed since),
 * which only means one failed attempt at its old expiry and a fresher observation.
 *
 * A held lease is renewed even after its renew deadline: the renewal is conditional on the
 * token, so it succeeds only if nobody acquired in between, in which case there was no other
 * holder and re-asserting the same token is safe.
 */
export function nextLeaseStep(
  state: { readonly held?: HeldLease; readonly observed?: Lease },
  holder: string,
  now: number,
  options: LeaseOptions,
): LeaseStep {
  const { held, observed } = state;
  if (held !== undefined) {
    return shouldRenew(held, now, options) ? { kind: 'renew', lease: held.lease } : { kind: 'keep' };
  }
  if (observed !== undefined && !canAcquire(observed, holder, now)) {
    return { kind: 'wait', until: observed.expiresAt };
  }
  return { kind: 'acquire' };
}
