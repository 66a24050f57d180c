import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canAcquire,
  defaultLeaseOptions,
  isLeading,
  nextLeaseStep,
  toleratedClockSkewMs,
  type HeldLease,
  type Lease,
} from '../../../lib/core/lease/index.js';

const options = defaultLeaseOptions;
const { leaseDurationMs, renewDeadlineMs, retryPeriodMs } = options;
const tolerated = toleratedClockSkewMs(options);

/** One turn of a contender's loop: wait `gapMs` (pauses included), then decide; a call takes `latencyMs`. */
interface Turn {
  readonly gapMs: number;
  readonly latencyMs: number;
}

interface Contender {
  readonly id: string;
  /** Its clock reads true time + offset. */
  readonly offsetMs: number;
  readonly turns: readonly Turn[];
}

type Event =
  | { readonly at: number; readonly kind: 'decide'; readonly i: number; readonly turn: number }
  | { readonly at: number; readonly kind: 'land'; readonly i: number; readonly now: number; readonly acquire: boolean };

/**
 * Plays contenders, each deciding with nextLeaseStep on its own clock, against a model of the
 * stored lease with the store's semantics: a conditional write applied atomically when it
 * lands, judged by the `now` its sender captured. Returns the most contenders that believed
 * they led (isLeading on their own clocks) at one true instant. A belief begins only when a
 * reply lands, so looking at every landing finds every overlap.
 */
function mostSimultaneousLeaders(contenders: readonly Contender[]): number {
  let record: Lease | undefined;
  const state = contenders.map(() => ({ held: undefined as HeldLease | undefined, observed: undefined as Lease | undefined }));
  const queue: Event[] = contenders.flatMap((c, i) =>
    c.turns.length === 0 ? [] : [{ at: c.turns[0].gapMs, kind: 'decide' as const, i, turn: 0 }],
  );
  let most = 0;
  while (queue.length > 0) {
    queue.sort((a, b) => a.at - b.at || (a.kind === 'land' ? -1 : 1));
    const event = queue.shift()!;
    const contender = contenders[event.i];
    if (event.kind === 'decide') {
      const now = event.at + contender.offsetMs;
      const step = nextLeaseStep(state[event.i], contender.id, now, options);
      const calls = step.kind === 'acquire' || step.kind === 'renew';
      const doneAt = event.at + (calls ? contender.turns[event.turn].latencyMs : 0);
      if (calls) queue.push({ at: doneAt, kind: 'land', i: event.i, now, acquire: step.kind === 'acquire' });
      const following = contender.turns[event.turn + 1];
      if (following !== undefined) {
        queue.push({ at: doneAt + following.gapMs, kind: 'decide', i: event.i, turn: event.turn + 1 });
      }
    } else {
      const mine = state[event.i];
      const granted = event.acquire
        ? canAcquire(record, contender.id, event.now)
        : record !== undefined && record.token === mine.held?.lease.token;
      if (granted) {
        record = {
          name: 'singleton',
          holder: contender.id,
          token: event.acquire ? (record?.token ?? 0) + 1 : record!.token,
          expiresAt: event.now + leaseDurationMs,
          durationMs: leaseDurationMs,
        };
        mine.held = { lease: record, confirmedAt: event.now };
        mine.observed = undefined;
      } else {
        mine.held = undefined;
        mine.observed = record;
      }
      const believers = contenders.filter((c, j) => isLeading(state[j].held, event.at + c.offsetMs, options));
      most = Math.max(most, believers.length);
    }
  }
  return most;
}

describe('leases under clock skew', () => {
  it('tolerates the lease duration minus the renew deadline of clock skew: 5 s with the defaults', () => {
    expect(tolerated).toBe(5_000);
  });

  it.each([
    // B's clock ahead of A's by → most holders leading at once
    [0, 1],
    [2_500, 1],
    [tolerated, 1],
    [tolerated + 1, 2],
    [8_000, 2],
  ])('B ahead of A by %d ms: at most %d leading at once (tolerance lease − renew deadline)', (skewMs, expected) => {
    // A takes the lease at true 0 and stops acting at 10 000; B tries exactly when its clock
    // reads A's stored expiry, 15 000, which is true time 15 000 − skew.
    const a: Contender = { id: 'a', offsetMs: 0, turns: [{ gapMs: 0, latencyMs: 0 }] };
    const b: Contender = { id: 'b', offsetMs: skewMs, turns: [{ gapMs: leaseDurationMs - skewMs, latencyMs: 0 }] };
    expect(mostSimultaneousLeaders([a, b])).toBe(expected);
  });

  /** 2 to 6 contenders with clock offsets in [0, maxOffsetMs], renewing on jittered retries and pausing past the lease. */
  function contenders(maxOffsetMs: number): fc.Arbitrary<Contender[]> {
    const turn = fc.record({
      gapMs: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 0, max: (retryPeriodMs * 6) / 5 }) },
        { weight: 1, arbitrary: fc.integer({ min: leaseDurationMs, max: 3 * leaseDurationMs }) },
      ),
      latencyMs: fc.integer({ min: 0, max: renewDeadlineMs / 2 }),
    });
    const contender = fc.record({
      offsetMs: fc.integer({ min: 0, max: maxOffsetMs }),
      turns: fc.array(turn, { minLength: 1, maxLength: 40 }),
    });
    return fc
      .array(contender, { minLength: 2, maxLength: 6 })
      .map((drafts) => drafts.map((draft, i) => ({ ...draft, id: `c${i}` })));
  }

  const neverTwoLeaders = (maxOffsetMs: number) =>
    fc.property(contenders(maxOffsetMs), (all) => mostSimultaneousLeaders(all) <= 1);

  it('holders whose clocks differ by at most lease − renew deadline never both lead', () => {
    fc.assert(neverTwoLeaders(tolerated), { numRuns: 300 });
  });

  it('the same search finds two leaders at once when clocks differ by more', () => {
    // Guards the property above against a model in which nobody ever overlaps.
    const outcome = fc.check(neverTwoLeaders(3 * tolerated), { numRuns: 300, seed: 6 });
    expect(outcome.failed).toBe(true);
  });
});
