import type { LeaseOptions } from './options.js';

/**
 * How far the clocks of two holders may disagree without both believing they lead at once.
 *
 * Expiry is judged against the `expiresAt` stored in the lease, which the holder computed on
 * its own clock: expiresAt = tA + leaseDuration, where tA is holder A's clock when it sent its
 * last acquire or renew. A stops acting at tA + renewDeadline on its own clock. A contender B
 * takes over once B's clock reads expiresAt or later.
 *
 * Let A's clock read (true time + a) and B's (true time + b). A's leadership ends at true time
 * tA + renewDeadline − a; B's can start at true time tA + leaseDuration − b at the earliest.
 * The two never overlap when
 *
 *   tA + renewDeadline − a  ≤  tA + leaseDuration − b   ⇔   b − a  ≤  leaseDuration − renewDeadline
 *
 * so a contender's clock may run ahead of the holder's by up to leaseDuration − renewDeadline.
 * A clock running behind (b < a) only delays the takeover.
 *
 * Worked example with the defaults (lease 15 s, renew deadline 10 s, so 5 s tolerated): A renews
 * when its clock reads 12:00:00.000 and stores expiresAt 12:00:15.000; it stops acting when its
 * clock reads 12:00:10.000. If B's clock is 5 s ahead it reads 12:00:15.000 at that very moment,
 * so B's leadership can begin exactly when A's ends. Were B 6 s ahead, B could take over when A's
 * clock reads 12:00:09.000, one second before A stops.
 *
 * Not covered: a clock stepped while a lease is held (an NTP jump) moves the holder's deadline
 * with it; rate drift over a 10 s deadline (parts per million) is negligible. Nor does any margin
 * save a holder that pauses between checking leadership and writing: the fencing token does.
 */
export function toleratedClockSkewMs(options: LeaseOptions): number {
  return options.leaseDurationMs - options.renewDeadlineMs;
}
