/**
 * A lease as stored: who holds it, the fencing token of that acquisition, and until when
 * (epoch ms, written by the holder's clock: acquire or renew time + `durationMs`).
 *
 * `token` grows by one on every acquisition and never goes back (the record is never deleted,
 * release only sets `expiresAt` to 0), so a larger token always means a later holder; writes
 * made under the lease carry it so a store can refuse a superseded holder.
 */
export interface Lease {
  readonly name: string;
  readonly holder: string;
  readonly token: number;
  readonly expiresAt: number;
  readonly durationMs: number;
}

/** Expired from `now` on: a lease written at t with duration d is free at exactly t + d. */
export function isExpired(lease: Pick<Lease, 'expiresAt'>, now: number): boolean {
  return now >= lease.expiresAt;
}

/**
 * Whether `holder` may acquire a lease whose current record is `current`: nobody has it,
 * it expired (judged by `now`, the contender's clock), or it is already `holder`'s.
 */
export function canAcquire(current: Lease | undefined, holder: string, now: number): boolean {
  return current === undefined || isExpired(current, now) || current.holder === holder;
}
