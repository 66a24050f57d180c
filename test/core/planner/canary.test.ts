import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { advanceCanary, canaryCount, canaryMove, type CanaryStep, weightAt } from '../../../lib/core/planner/canary.js';
import { rolloutBounds } from '../../../lib/core/planner/rollout-bounds.js';

describe('canaryCount: share of replicas on the new revision, rounded up', () => {
  test.each([
    // replicas, weight, new tasks
    [1, 1, 1], [1, 25, 1], [1, 50, 1], [1, 100, 1],
    [3, 1, 1], [3, 25, 1], [3, 50, 2], [3, 100, 3],
    [4, 1, 1], [4, 25, 1], [4, 50, 2], [4, 100, 4],
    [10, 1, 1], [10, 25, 3], [10, 50, 5], [10, 100, 10],
    [0, 50, 0],
  ])('%i replicas at weight %i → %i new', (replicas, weight, expected) => {
    expect(canaryCount(replicas, weight)).toBe(expected);
  });
});

describe('weightAt', () => {
  const steps: CanaryStep[] = [{ pause: { seconds: 5 } }, { setWeight: 25 }, { pause: {} }, { setWeight: 50 }];
  test.each([
    [0, 0], [1, 25], [2, 25], [3, 50], [4, 100],
  ])('at step %i the weight is %i', (step, weight) => {
    expect(weightAt(steps, step)).toBe(weight);
  });
});

describe('advanceCanary', () => {
  const steps: CanaryStep[] = [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: { seconds: 20 } }];
  const at = (step: number, stepStartedAt = 0) => ({ step, stepStartedAt });

  test('a setWeight step holds until its new tasks are available and the stable revision is down to the rest', () => {
    expect(advanceCanary({ steps, position: at(0), replicas: 4, newAvailable: 0, oldLive: 4, now: 1 })).toEqual({
      position: at(0), weight: 25, newTarget: 1, oldTarget: 3,
    });
    expect(advanceCanary({ steps, position: at(0), replicas: 4, newAvailable: 1, oldLive: 4, now: 1 }).position.step).toBe(0);
  });

  test('a satisfied step passes on in the same reconcile, into an open pause that waits for promote', () => {
    const decision = advanceCanary({ steps, position: at(0), replicas: 4, newAvailable: 1, oldLive: 3, now: 7 });
    expect(decision).toEqual({ position: at(1, 7), weight: 25, newTarget: 1, oldTarget: 3, paused: { kind: 'untilPromoted' } });
    // Time alone never ends an open pause.
    expect(advanceCanary({ steps, position: at(1, 7), replicas: 4, newAvailable: 1, oldLive: 3, now: 10_000_000 }).position.step).toBe(1);
  });

  test('promote ends the pause; the next weight applies', () => {
    expect(advanceCanary({ steps, position: at(1, 7), replicas: 4, newAvailable: 1, oldLive: 3, now: 50, promote: 'step' })).toEqual({
      position: at(2, 50), weight: 50, newTarget: 2, oldTarget: 2,
    });
  });

  test('a timed pause asks to be looked at when it ends, then completes the rollout to 100%', () => {
    const holding = advanceCanary({ steps, position: at(3, 1_000), replicas: 4, newAvailable: 2, oldLive: 2, now: 6_000 });
    expect(holding).toMatchObject({ weight: 50, paused: { kind: 'timed', endsAt: 21_000 }, requeueAfterMs: 15_000 });
    expect(advanceCanary({ steps, position: at(3, 1_000), replicas: 4, newAvailable: 2, oldLive: 2, now: 21_000 })).toEqual({
      position: at(4, 21_000), weight: 100, newTarget: 4, oldTarget: 0,
    });
  });

  test('promote --full skips every remaining step', () => {
    expect(advanceCanary({ steps, position: at(0), replicas: 10, newAvailable: 0, oldLive: 10, now: 3, promote: 'full' })).toEqual({
      position: at(4, 3), weight: 100, newTarget: 10, oldTarget: 0,
    });
  });
});

describe('canary moves keep the rollout bounds (property)', () => {
  const step = fc.oneof(
    fc.integer({ min: 1, max: 100 }).map((setWeight): CanaryStep => ({ setWeight })),
    fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }).map((seconds): CanaryStep => ({ pause: seconds === undefined ? {} : { seconds } })),
  );
  // Validation refuses a setWeight below an earlier one: a canary only grows.
  const growing = (steps: CanaryStep[]): CanaryStep[] => {
    let weight = 0;
    return steps.map((s) => ('setWeight' in s ? { setWeight: (weight = Math.max(weight, s.setWeight)) } : s));
  };
  const stepList = fc.array(step, { minLength: 1, maxLength: 5 }).map(growing);

  test('never more than replicas + surge tasks, never fewer available than replicas − unavailable through the planner, the new revision never above its weight', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        stepList,
        fc.array(fc.constantFrom('settle', 'available', 'crash', 'promote', 'tick'), { minLength: 1, maxLength: 80 }),
        (replicas, surge, unavailable, steps, events) => {
          const bounds = rolloutBounds(replicas, 'RollingUpdate', surge, unavailable);
          // Old tasks all available at the start; new ones start unavailable.
          let oldLive = replicas;
          let oldStopping = 0;
          let newStarting = 0;
          let newAvailable = 0;
          let position = { step: 0, stepStartedAt: 0 };
          let now = 0;
          for (const event of events) {
            let promote: 'step' | undefined;
            if (event === 'settle') oldStopping = 0; // stopped tasks reach STOPPED
            if (event === 'available' && newStarting > 0) { newStarting--; newAvailable++; }
            if (event === 'crash' && newStarting > 0) newStarting--; // a new task dies before becoming available
            if (event === 'promote') promote = 'step';
            if (event === 'tick') now += 10_000;
            const decision = advanceCanary({ steps, position, replicas, newAvailable, oldLive, now, promote });
            position = decision.position;
            const move = canaryMove({
              bounds, newTarget: decision.newTarget, oldTarget: decision.oldTarget,
              notStopped: oldLive + oldStopping + newStarting + newAvailable,
              newLive: newStarting + newAvailable, newAvailable, oldLive,
            });
            newStarting += move.starts;
            oldLive -= move.oldStops;
            oldStopping += move.oldStops;
            expect(oldLive + oldStopping + newStarting + newAvailable).toBeLessThanOrEqual(bounds.maxTasks);
            expect(newStarting + newAvailable).toBeLessThanOrEqual(Math.max(decision.newTarget, 0));
            // The planner's stops never take availability below the floor (crashes of new tasks may).
            if (move.oldStops > 0) expect(oldLive + newAvailable).toBeGreaterThanOrEqual(bounds.minAvailable);
          }
        },
      ),
    );
  });

  test('with every task settling, a canary promoted at each pause completes: all new, no old', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 3 }), stepList, (replicas, surge, steps) => {
        const bounds = rolloutBounds(replicas, 'RollingUpdate', surge, 0);
        let oldLive = replicas;
        let newAvailable = 0;
        let position = { step: 0, stepStartedAt: 0 };
        for (let round = 0; round < 200 && !(newAvailable === replicas && oldLive === 0); round++) {
          const decision = advanceCanary({ steps, position, replicas, newAvailable, oldLive, now: round * 60_000, promote: round % 3 === 0 ? 'step' : undefined });
          position = decision.position;
          const move = canaryMove({ bounds, newTarget: decision.newTarget, oldTarget: decision.oldTarget, notStopped: oldLive + newAvailable, newLive: newAvailable, newAvailable, oldLive });
          newAvailable += move.starts; // starts settle and stops complete before the next round
          oldLive -= move.oldStops;
        }
        expect({ newAvailable, oldLive }).toEqual({ newAvailable: replicas, oldLive: 0 });
      }),
    );
  });
});
