import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveRollout, validateServiceSpec, type CountOrPercent } from '../../../lib/core/spec/index.js';

function resolved(replicas: number, rollout: Record<string, unknown>) {
  const result = validateServiceSpec({ image: 'nginx', replicas, rollout });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return resolveRollout(result.spec);
}

describe('resolveRollout', () => {
  it.each([
    // replicas, maxSurge, maxUnavailable -> surge, unavailable
    [10, '25%', '25%', 3, 2],
    [10, '25%', 0, 3, 0],
    [4, '25%', '25%', 1, 1],
    [3, '25%', '25%', 1, 0],
    [1, '25%', 0, 1, 0],
    [1, '10%', '10%', 1, 0],
    [1, '0%', '10%', 0, 1], // both round to 0: unavailable becomes 1
    [0, '25%', 0, 0, 1], // no replicas: both 0, unavailable becomes 1
    [7, '100%', '100%', 7, 7],
    [7, '50%', '50%', 4, 3],
    [1000, '1%', '99%', 10, 990],
    [5, 2, 1, 2, 1],
    [5, 0, 9, 0, 9], // a count is used as given, even above replicas
  ] as Array<[number, CountOrPercent, CountOrPercent, number, number]>)(
    'replicas %i, surge %j, unavailable %j -> %i up, %i down',
    (replicas, maxSurge, maxUnavailable, surge, unavailable) => {
      const r = resolved(replicas, { maxSurge, maxUnavailable });
      expect([r.maxSurge, r.maxUnavailable]).toEqual([surge, unavailable]);
    },
  );

  it.each([
    [0, 3],
    [1, 3],
    [4, 3],
    [6, 3],
    [7, 4],
    [10, 5],
    [25, 13],
    [399, 200],
    [400, 200],
    [1000, 200],
  ])('derives failureThreshold for %i replicas as %i (half, rounded up, within 3..200)', (replicas, threshold) => {
    expect(resolved(replicas, {}).failureThreshold).toBe(threshold);
  });

  it('uses a given failureThreshold as is', () => {
    expect(resolved(1000, { failureThreshold: 1 }).failureThreshold).toBe(1);
    expect(resolved(2, { failureThreshold: 900 }).failureThreshold).toBe(900);
  });

  it('rounds surge up and unavailable down, and always lets a rollout move', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (replicas, surgePercent, unavailablePercent) => {
          // Both literally 0% is a validation error (tested above), not a rollout to resolve.
          fc.pre(surgePercent > 0 || unavailablePercent > 0);
          const r = resolved(replicas, { maxSurge: `${surgePercent}%`, maxUnavailable: `${unavailablePercent}%` });
          // Integer arithmetic: ceil(a / 100) is floor((a + 99) / 100).
          const surge = Math.floor((replicas * surgePercent + 99) / 100);
          const unavailable = Math.floor((replicas * unavailablePercent) / 100);
          expect(r.maxSurge).toBe(surge);
          expect(r.maxUnavailable).toBe(surge === 0 && unavailable === 0 ? 1 : unavailable);
        },
      ),
    );
  });
});
