import { describe, expect, it } from 'vitest';
import {
  BACKOFF_RESET_MS,
  backoffDelayMs,
  nextBackoff,
  rollingStep,
  rolloutBounds,
} from '../../../lib/core/planner/index.js';

describe('rolloutBounds', () => {
  it.each([
    // replicas, strategy, surge, unavailable → maxTasks, minAvailable
    [10, 'RollingUpdate', 3, 2, 13, 8],
    [10, 'RollingUpdate', 3, 0, 13, 10],
    [6, 'RollingUpdate', 2, 0, 8, 6],
    [4, 'RollingUpdate', 0, 1, 4, 3],
    [3, 'RollingUpdate', 0, 0, 3, 2], // both zero cannot move: unavailable becomes 1
    [2, 'RollingUpdate', 1, 5, 3, 0], // the floor never goes below zero
    [0, 'RollingUpdate', 1, 0, 1, 0],
    [5, 'Recreate', 2, 1, 5, 0],
  ] as const)('%i replicas %s surge %i unavailable %i → at most %i tasks, at least %i available', (replicas, strategy, surge, unavailable, maxTasks, minAvailable) => {
    expect(rolloutBounds(replicas, strategy, surge, unavailable)).toEqual({ maxTasks, minAvailable });
  });
});

describe('rollingStep: the Kubernetes example, 10 replicas, maxSurge 3, maxUnavailable 2', () => {
  const bounds = rolloutBounds(10, 'RollingUpdate', 3, 2);
  it.each([
    // the worked example in rollout-bounds.ts, step by step
    { step: 'start', notStopped: 10, newLive: 0, newAvailable: 0, oldLive: 10, starts: 3, oldStops: 2 },
    { step: '2 old STOPPED', notStopped: 11, newLive: 3, newAvailable: 0, oldLive: 8, starts: 2, oldStops: 0 },
    { step: '5 new available', notStopped: 13, newLive: 5, newAvailable: 5, oldLive: 8, starts: 0, oldStops: 5 },
    { step: '5 old STOPPED', notStopped: 8, newLive: 5, newAvailable: 5, oldLive: 3, starts: 5, oldStops: 0 },
    { step: 'all new available', notStopped: 13, newLive: 10, newAvailable: 10, oldLive: 3, starts: 0, oldStops: 3 },
    { step: 'one new available only', notStopped: 13, newLive: 5, newAvailable: 1, oldLive: 8, starts: 0, oldStops: 1 },
  ])('$step: start $starts, stop $oldStops old', ({ notStopped, newLive, newAvailable, oldLive, starts, oldStops }) => {
    const result = rollingStep({ replicas: 10, bounds, notStopped, newLive, newAvailable, oldLive });
    expect(result).toEqual({ starts, oldStops });
    // the bounds the example promises
    expect(notStopped + result.starts).toBeLessThanOrEqual(13);
    expect(oldLive - result.oldStops + newAvailable).toBeGreaterThanOrEqual(8);
  });

  it.each([
    // maxSurge 2, maxUnavailable 0 on 6 replicas (the e2e scenario): surge first, stop only behind availability
    { replicas: 6, surge: 2, unavailable: 0, notStopped: 6, newLive: 0, newAvailable: 0, oldLive: 6, starts: 2, oldStops: 0 },
    { replicas: 6, surge: 2, unavailable: 0, notStopped: 8, newLive: 2, newAvailable: 1, oldLive: 6, starts: 0, oldStops: 1 },
    // maxSurge 0, maxUnavailable 1: stop first, start into the freed room
    { replicas: 4, surge: 0, unavailable: 1, notStopped: 4, newLive: 0, newAvailable: 0, oldLive: 4, starts: 0, oldStops: 1 },
    { replicas: 4, surge: 0, unavailable: 1, notStopped: 3, newLive: 0, newAvailable: 0, oldLive: 3, starts: 1, oldStops: 0 },
    // scale-down during a rollout: more old tasks than the new replicas need
    { replicas: 3, surge: 1, unavailable: 0, notStopped: 10, newLive: 0, newAvailable: 0, oldLive: 10, starts: 0, oldStops: 7 },
  ])('$replicas replicas, surge $surge, unavailable $unavailable, $oldLive old/$newLive new → start $starts, stop $oldStops', (c) => {
    const bounds = rolloutBounds(c.replicas, 'RollingUpdate', c.surge, c.unavailable);
    expect(rollingStep({ ...c, bounds })).toEqual({ starts: c.starts, oldStops: c.oldStops });
  });
});

describe('crash-loop backoff', () => {
  it.each([
    [1, 10], [2, 20], [3, 40], [4, 80], [5, 160], [6, 300], [7, 300], [50, 300],
  ])('step %i waits %i s', (failures, seconds) => {
    expect(backoffDelayMs(failures)).toBe(seconds * 1000);
  });

  it('one step per wave: failures while waiting do not double the wait', () => {
    const first = nextBackoff(undefined, 3, 0);
    expect(first).toEqual({ failures: 1, until: 10_000, lastFailureAt: 0 });
    const sameWave = nextBackoff(first, 1, 4_000);
    expect(sameWave).toEqual({ failures: 1, until: 10_000, lastFailureAt: 4_000 });
    const nextWave = nextBackoff(sameWave, 1, 15_000);
    expect(nextWave).toEqual({ failures: 2, until: 35_000, lastFailureAt: 15_000 });
  });

  it('resets after 10 min without a failure, not before', () => {
    const b = { failures: 4, until: 80_000, lastFailureAt: 0 };
    expect(nextBackoff(b, 0, BACKOFF_RESET_MS - 1)).toBe(b);
    expect(nextBackoff(b, 0, BACKOFF_RESET_MS)).toBeUndefined();
    expect(nextBackoff(b, 1, BACKOFF_RESET_MS)).toEqual({ failures: 1, until: BACKOFF_RESET_MS + 10_000, lastFailureAt: BACKOFF_RESET_MS });
  });
});
