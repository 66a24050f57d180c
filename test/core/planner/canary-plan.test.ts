import { describe, expect, it } from 'vitest';
import { rolloutBounds } from '../../../lib/core/planner/index.js';
import type { AlarmState } from '../../../lib/core/planner/alarm-gate.js';
import type { PlannerSpec } from '../../../lib/core/planner/index.js';
import { FleetSimulator, makeSpec } from './simulator.js';

const canary = (overrides: Partial<PlannerSpec> = {}): PlannerSpec =>
  makeSpec({ replicas: 4, strategy: 'Canary', maxSurge: 1, maxUnavailable: 0, steps: [{ setWeight: 25 }, { pause: {} }], ...overrides });

/** Revision 1 fully available, then the user applies revision 2. */
function rolling(spec: PlannerSpec): FleetSimulator {
  const sim = new FleetSimulator(spec);
  sim.runToQuiet();
  sim.update({ revision: 2 });
  return sim;
}

/** Settle, reconcile, and advance as the shell would, for `rounds` reconciles (alarm gating never lets it go quiet). */
function drive(sim: FleetSimulator, rounds: number): void {
  for (let i = 0; i < rounds; i++) {
    sim.settleTasks();
    const r = sim.reconcile();
    sim.advance(r.start.length || r.stop.length ? 1_000 : (r.requeueAfterMs ?? 1_000));
  }
}

const live = (sim: FleetSimulator, revision: number) => sim.live(sim.tasks, revision).length;
const alarm = (value: AlarmState['value'], transitionedAt: number, reason = 'Threshold Crossed'): AlarmState => ({ name: 'web-5xx', value, reason, transitionedAt });

describe('canary steps in the planner', () => {
  it('[setWeight 25, pause {}] of 4 holds 1 new + 3 stable until promote, then completes', () => {
    const sim = rolling(canary());
    sim.runToQuiet();
    expect({ new: live(sim, 2), old: live(sim, 1) }).toEqual({ new: 1, old: 3 });
    expect(sim.status).toMatchObject({ phase: 'Paused', revision: 2, stableRevision: 1, rollout: { step: 1, steps: 2, weight: 25, waiting: { kind: 'untilPromoted' } } });
    expect(sim.status?.message).toBe('Canary of revision 2 at step 2 of 2, weight 25% (1 of 4 tasks): waiting for promote (corral rollout promote web, --full for all steps)');
    expect(sim.status?.conditions.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'CanaryPaused' });
    // Waiting costs nothing: no requeue, no change.
    const waiting = sim.reconcile();
    expect(waiting).toMatchObject({ start: [], stop: [], events: [] });
    expect(waiting.requeueAfterMs).toBeUndefined();

    sim.promote();
    sim.runToQuiet();
    expect(sim.status).toMatchObject({ phase: 'Available', revision: 2, stableRevision: 2 });
    expect({ new: live(sim, 2), old: live(sim, 1) }).toEqual({ new: 4, old: 0 });
    const events = sim.steps.flatMap((s) => s.plan.events.map((e) => e.type));
    expect(events).toContain('CanaryStep');
    expect(events).toContain('CanaryPromoted');
  });

  it('a timed pause moves on by itself when it ends, and asks to be called then', () => {
    const sim = rolling(canary({ steps: [{ setWeight: 50 }, { pause: { seconds: 20 } }, { setWeight: 75 }] }));
    let last = sim.reconcile();
    for (let i = 0; i < 60 && sim.status?.rollout?.waiting?.kind !== 'timed'; i++) {
      sim.advance(last.start.length || last.stop.length ? 1_000 : (last.requeueAfterMs ?? 1_000));
      sim.settleTasks();
      last = sim.reconcile();
    }
    expect(sim.status?.rollout?.waiting).toMatchObject({ kind: 'timed' });
    expect({ new: live(sim, 2), old: live(sim, 1) }).toEqual({ new: 2, old: 2 });
    const endsAt = (sim.status!.rollout!.waiting as { endsAt: number }).endsAt;
    expect(endsAt).toBe((sim.status!.rollout!.stepStartedAt as number) + 20_000);
    expect(last.requeueAfterMs).toBe(endsAt - sim.now);
    sim.advance(5_000);
    expect(sim.reconcile().requeueAfterMs).toBe(15_000);
    sim.runToQuiet();
    expect(sim.status).toMatchObject({ phase: 'Available', revision: 2 });
  });

  it('promote --full skips every remaining step', () => {
    const sim = rolling(canary({ steps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }] }));
    sim.runToQuiet();
    expect(sim.status?.rollout?.step).toBe(1);
    sim.promote(true);
    sim.runToQuiet();
    expect(sim.status).toMatchObject({ phase: 'Available', revision: 2, stableRevision: 2 });
  });

  it('a first deployment and a rollback go straight to full count, without steps', () => {
    const sim = new FleetSimulator(canary());
    sim.runToQuiet();
    expect(sim.status).toMatchObject({ phase: 'Available', revision: 1 });
    expect(live(sim, 1)).toBe(4);
  });

  it('an alarm entering ALARM mid-canary rolls back within one reconcile, never below the floor', () => {
    const spec = canary({ alarms: ['web-5xx'], steps: [{ setWeight: 50 }, { pause: {} }] });
    const sim = rolling(spec);
    sim.alarms = { kind: 'read', states: [alarm('OK', 0)], missing: [] };
    drive(sim, 40);
    expect({ new: live(sim, 2), old: live(sim, 1) }).toEqual({ new: 2, old: 2 });
    // Gated on alarms, it keeps looking (CloudWatch sends no event).
    expect(sim.reconcile().requeueAfterMs).toBe(10_000);

    sim.alarms = { kind: 'read', states: [alarm('ALARM', sim.now)], missing: [] };
    sim.advance(10_000);
    const tripped = sim.reconcile();
    expect(tripped.events.find((e) => e.type === 'RolloutFailed')?.message).toBe(
      'Rollout of revision 2 failed: alarm web-5xx entered ALARM (Threshold Crossed); rolling back to revision 1',
    );
    expect(tripped.status).toMatchObject({ phase: 'Failed', revision: 1, rollout: { failureKind: 'AlarmFired' } });
    sim.runToQuiet(); // a rollback is not gated on alarms: it goes quiet
    expect(sim.status).toMatchObject({ phase: 'RolledBack', revision: 1 });
    expect({ new: live(sim, 2), old: live(sim, 1) }).toEqual({ new: 0, old: 4 });
    const { minAvailable } = rolloutBounds(4, 'Canary', 1, 0);
    for (const step of sim.steps) {
      const stopped = new Set(step.plan.stop.map((s) => s.taskArn));
      const availableBefore = sim.available(step.before, step.plan.status, step.now, step.desired);
      if (stopped.size > 0) expect(availableBefore.filter((t) => !stopped.has(t.taskArn)).length).toBeGreaterThanOrEqual(Math.min(minAvailable, availableBefore.length));
    }
  });

  it('an alarm already firing when the rollout starts holds it, with the condition, until promote', () => {
    const sim = new FleetSimulator(canary({ alarms: ['web-5xx'] }));
    sim.runToQuiet();
    sim.alarms = { kind: 'read', states: [alarm('ALARM', sim.now - 60_000, 'firing already')], missing: [] };
    sim.update({ revision: 2 });
    const held = sim.reconcile();
    expect(held.start).toEqual([]);
    expect(held.events.map((e) => e.type)).toContain('AlarmFiringAtStart');
    expect(held.status.conditions.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'AlarmFiringAtStart' });
    expect(held.status.message).toMatch(/alarm web-5xx already in ALARM when the rollout started: holding until it clears or `corral rollout promote web`/);
    expect(held.requeueAfterMs).toBe(10_000);
    // The hold is reported once, and the deadline does not run while held.
    sim.advance(700_000);
    const still = sim.reconcile();
    expect(still.events).toEqual([]);
    expect(still.status.phase).toBe('Progressing');

    sim.promote();
    drive(sim, 40);
    expect({ new: live(sim, 2), old: live(sim, 1) }).toEqual({ new: 1, old: 3 });
    expect(sim.status?.phase).toBe('Paused'); // now at the canary's own pause step
  });

  it('alarms that cannot be read hold the rollout; they never let it pass', () => {
    const sim = rolling(makeSpec({ replicas: 2, alarms: ['web-5xx'] }));
    sim.alarms = { kind: 'unreadable', reason: 'ThrottlingException: Rate exceeded' };
    const held = sim.reconcile();
    expect(held.start).toEqual([]);
    expect(held.status.message).toMatch(/Cannot read the rollout's alarms \(ThrottlingException: Rate exceeded\): holding/);
    sim.alarms = { kind: 'read', states: [alarm('OK', 0)], missing: [] };
    sim.advance(10_000);
    expect(sim.reconcile().start.length).toBeGreaterThan(0);
  });

  it('abort goes back to the stable revision at full count, marked Aborted, whatever autoRollback says', () => {
    const sim = rolling(canary({ autoRollback: false }));
    sim.runToQuiet();
    sim.update({ aborted: true });
    const aborted = sim.reconcile();
    expect(aborted.events.find((e) => e.type === 'RolloutAborted')?.message).toBe('Rollout of revision 2 aborted by the user; rolling back to revision 1');
    sim.runToQuiet();
    expect(sim.status).toMatchObject({ phase: 'Aborted', revision: 1, stableRevision: 1, targetRevision: 2 });
    expect(sim.status?.message).toBe('Rollout of revision 2 aborted: back on revision 1, 4 of 4 tasks available');
    expect({ new: live(sim, 2), old: live(sim, 1) }).toEqual({ new: 0, old: 4 });
  });
});
