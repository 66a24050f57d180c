import { describe, expect, it } from 'vitest';
import { plan, recordLaunchFailure, STOP_REASON_PREFIX } from '../../../lib/core/planner/index.js';
import type { ObservedTask } from '../../../lib/core/planner/index.js';
import { FleetSimulator, makeSpec, T0 } from './simulator.js';

/** A service on revision 1, fully available and quiet. */
function stableFleet(spec = makeSpec()): FleetSimulator {
  const sim = new FleetSimulator(spec);
  sim.runToQuiet();
  return sim;
}

function messages(sim: FleetSimulator): string[] {
  return sim.steps.flatMap((s) => [...s.plan.events, ...s.plan.launchEvents].map((e) => e.message));
}

describe('steady state', () => {
  it('creates the replicas, reports Pending then Available, and then plans nothing', () => {
    const sim = new FleetSimulator(makeSpec({ replicas: 3 }));
    const first = sim.reconcile();
    expect(first.start).toEqual([
      { revision: 1, slot: 0 },
      { revision: 1, slot: 1 },
      { revision: 1, slot: 2 },
    ]);
    expect(first.status.phase).toBe('Pending');
    expect(first.events.map((e) => e.message)).not.toContain('Scaled up: started 3 tasks of revision 1');
    // Intent until RunTask answers: afterLaunch records it only when every task started.
    expect(first.launchEvents.map((e) => e.message)).toContain('Scaled up: started 3 tasks of revision 1');
    sim.runToQuiet();
    expect(sim.status).toMatchObject({ phase: 'Available', revision: 1, stableRevision: 1, message: 'Revision 1 available: 3 of 3 tasks' });
    expect(messages(sim)).toContain('Revision 1 available: 3 of 3 tasks');

    const before = sim.status;
    sim.advance(30_000);
    const again = sim.reconcile();
    expect(again).toEqual({ start: [], stop: [], status: before, events: [], launchEvents: [], prune: [] });
    expect(again.status).toBe(before);
  });

  it('asks to be called exactly when the first healthy task reaches minHealthySeconds', () => {
    const sim = new FleetSimulator(makeSpec({ replicas: 2, minHealthySeconds: 10 }));
    sim.reconcile();
    sim.settleTasks(); // both RUNNING and HEALTHY now
    sim.advance(2_000);
    expect(sim.reconcile().requeueAfterMs).toBe(10_000);
    sim.advance(4_000);
    expect(sim.reconcile().requeueAfterMs).toBe(6_000);
    sim.advance(6_000);
    const done = sim.reconcile();
    expect(done.status.phase).toBe('Available');
    expect(done.requeueAfterMs).toBeUndefined();
  });

  it('scales down the not-yet-running tasks first, then the highest slots', () => {
    const sim = stableFleet(makeSpec({ replicas: 5 }));
    const pending = sim.tasks.find((t) => t.slot === 1)!;
    pending.lastStatus = 'PENDING'; // as if slot 1 had just been replaced
    sim.update({ spec: { replicas: 3 } });
    const result = sim.reconcile();
    const stopped = result.stop.map((s) => sim.tasks.find((t) => t.taskArn === s.taskArn)!.slot).sort();
    expect(stopped).toEqual([1, 4]);
    expect(result.stop[0].reason.startsWith(STOP_REASON_PREFIX)).toBe(true);
    expect(result.events.map((e) => e.message)).toContain('Scaled down: stopping 2 tasks of revision 1');
    expect(result.start).toEqual([]);
  });

  it('stops an UNHEALTHY task, counts a failure and starts its replacement after the 10 s backoff', () => {
    const sim = stableFleet();
    const sick = sim.tasks.find((t) => t.slot === 1)!;
    sick.healthStatus = 'UNHEALTHY';
    const first = sim.reconcile();
    expect(first.stop).toEqual([{ taskArn: sick.taskArn, reason: `${STOP_REASON_PREFIX}task UNHEALTHY, replacing it` }]);
    expect(first.start).toEqual([]);
    expect(first.requeueAfterMs).toBe(10_000);
    expect(first.status.backoff).toEqual({ failures: 1, until: sim.now + 10_000, lastFailureAt: sim.now });
    expect(first.events.map((e) => e.type)).toEqual(expect.arrayContaining(['BackOff', 'TaskFailed', 'TaskUnhealthy']));

    sim.advance(10_000);
    const second = sim.reconcile();
    expect(second.start).toEqual([{ revision: 1, slot: 1, replaces: sick.taskArn }]);
    expect(second.launchEvents.find((e) => e.type === 'TaskReplaced')?.message).toMatch(/^Replacing task t\d+ \(UNHEALTHY\): started a task of revision 1 in slot 2$/);
  });

  it('counts a failure once even if one observation misses the failed task', () => {
    const sim = stableFleet();
    const crashed = sim.tasks.find((t) => t.slot === 1)!;
    Object.assign(crashed, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited', exitCode: 1, stoppedAt: sim.now });
    expect(sim.reconcile().status.backoff?.failures).toBe(1);
    // Past the backoff, a lagging listing leaves the crashed task out once, then shows it again.
    const without = (tasks: ObservedTask[]) => tasks.filter((t) => t.taskArn !== crashed.taskArn);
    const lagging = plan(sim.desired, { tasks: without(sim.snapshot()), status: sim.status }, sim.now + 11_000);
    const caughtUp = plan(sim.desired, { tasks: sim.snapshot(), status: lagging.status }, sim.now + 12_000);
    expect(caughtUp.status.backoff?.failures).toBe(1);
    expect(caughtUp.events.filter((e) => e.type === 'TaskFailed')).toEqual([]);
  });

  it('replaces a task stopped outside Corral at once, without backoff', () => {
    const sim = stableFleet();
    const victim = sim.tasks.find((t) => t.slot === 2)!;
    Object.assign(victim, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'UserInitiated', stoppedReason: 'operator', stoppedAt: sim.now });
    const result = sim.reconcile();
    expect(result.start).toEqual([{ revision: 1, slot: 2, replaces: victim.taskArn }]);
    expect(result.status.backoff).toBeUndefined();
    expect(result.events).toEqual([]);
    expect(result.launchEvents.map((e) => e.type)).toEqual(['TaskReplaced']);
  });

  it('does not count its own stops as failures', () => {
    const sim = stableFleet(makeSpec({ replicas: 4 }));
    sim.update({ spec: { replicas: 1 } });
    sim.runToQuiet();
    expect(sim.status?.backoff).toBeUndefined();
    expect(messages(sim).some((m) => m.includes('failed'))).toBe(false);
    expect(sim.live().length).toBe(1);
  });

  it('counts tasks still stopping against the surge bound', () => {
    const spec = makeSpec({ replicas: 4, maxSurge: 1 });
    const running = (slot: number, extra: Partial<ObservedTask> = {}): ObservedTask => ({
      taskArn: `arn:t${slot}`, revision: 1, slot, lastStatus: 'RUNNING', desiredStatus: 'RUNNING', healthStatus: 'HEALTHY',
      createdAt: T0 - 60_000, startedAt: T0 - 50_000, healthySince: T0 - 40_000, ...extra,
    });
    // 3 live + 2 being stopped = 5 = replicas + maxSurge: slot 3 must wait
    const tasks = [running(0), running(1), running(2), running(3, { desiredStatus: 'STOPPED' }), running(4, { desiredStatus: 'STOPPED' })];
    const desired = { name: 'web', generation: 1, spec, revision: 1, stableRevision: 1, paused: false, deleting: false };
    expect(plan(desired, { tasks }, T0).start).toEqual([]);
    tasks[4] = { ...tasks[4], lastStatus: 'STOPPED', stopCode: 'UserInitiated', stoppedAt: T0 };
    expect(plan(desired, { tasks }, T0).start).toEqual([{ revision: 1, slot: 3, replaces: 'arn:t3' }]);
  });

  it('counts a task without a health check available minHealthySeconds after it started', () => {
    const sim = new FleetSimulator(makeSpec({ replicas: 1, hasHealthCheck: false, minHealthySeconds: 10 }));
    sim.reconcile();
    sim.settleTasks(); // RUNNING at T0
    sim.advance(4_000);
    const waiting = sim.reconcile();
    expect(waiting.status.counts).toMatchObject({ running: 1, healthy: 1, available: 0 });
    expect(waiting.requeueAfterMs).toBe(6_000);
    expect(waiting.status.healthySince).toEqual({}); // startedAt says it all
    sim.advance(6_000);
    expect(sim.reconcile().status.phase).toBe('Available');
  });

  it('a launch RunTask refused is a crash-loop step for the next reconcile', () => {
    const sim = new FleetSimulator(makeSpec({ replicas: 2 }));
    const first = sim.reconcile();
    sim.tasks = []; // RunTask answered with failures only
    sim.status = recordLaunchFailure(first.status, sim.now);
    const next = sim.reconcile();
    expect(next.start).toEqual([]);
    expect(next.requeueAfterMs).toBe(10_000);
    expect(next.status.phase).toBe('Degraded');
  });

  it('keeps replacing a first deployment that crashes, with growing backoff and no circuit breaker', () => {
    const sim = new FleetSimulator(makeSpec({ replicas: 1, failureThreshold: 3 }));
    sim.behaviors.set(1, 'crash');
    for (let i = 0; i < 8; i++) {
      const result = sim.reconcile();
      sim.settleTasks();
      sim.advance(result.requeueAfterMs ?? 1_000);
    }
    expect(sim.status?.phase).toBe('Degraded');
    expect(sim.status?.message).toMatch(/^0 of 1 tasks of revision 1 available; crash loop \(step \d/);
    expect(messages(sim).some((m) => m.includes('failed: 3 tasks'))).toBe(false);
    expect(sim.steps.filter((s) => s.plan.start.length > 0).length).toBeGreaterThan(3);
  });
});

describe('rollouts', () => {
  it('rolls 6 replicas with maxSurge 2, maxUnavailable 0 onto a new revision and marks it stable', () => {
    const sim = stableFleet(makeSpec({ replicas: 6, maxSurge: 2, maxUnavailable: 0 }));
    sim.update({ revision: 2 });
    const first = sim.reconcile();
    expect(first.start.map((s) => s.revision)).toEqual([2, 2]);
    expect(first.stop).toEqual([]);
    expect(first.events[0].message).toBe('Rollout of revision 2 started (RollingUpdate, maxSurge 2, maxUnavailable 0), replacing revision 1');
    expect(first.status).toMatchObject({ phase: 'Progressing', revision: 2, stableRevision: 1, targetRevision: 2 });
    sim.runToQuiet();
    expect(sim.status).toMatchObject({ phase: 'Available', revision: 2, stableRevision: 2 });
    expect(sim.status?.rollout).toBeUndefined();
    expect(messages(sim)).toContain('Rollout of revision 2 complete: 6 of 6 tasks available');
    for (const step of sim.steps) {
      expect(sim.notStopped(step.after)).toBeLessThanOrEqual(8);
    }
  });

  it('follows the Kubernetes example step by step: 10 replicas, maxSurge 3, maxUnavailable 2', () => {
    const sim = stableFleet(makeSpec({ replicas: 10, maxSurge: 3, maxUnavailable: 2, minHealthySeconds: 10 }));
    sim.update({ revision: 2 });
    const rolloutFrom = sim.steps.length;
    const stopsFinish = () => sim.settleTasks((t) => t.desiredStatus === 'STOPPED');
    const newBecomeAvailable = () => {
      sim.settleTasks((t) => t.revision === 2);
      sim.reconcile(); // sees them HEALTHY
      sim.advance(10_000);
    };
    const counts = () => {
      const r = sim.reconcile();
      return [r.start.length, r.stop.length];
    };
    expect(counts()).toEqual([3, 2]); // 13 tasks, 8 available
    stopsFinish();
    expect(counts()).toEqual([2, 0]); // 8 old + 5 new = 13
    newBecomeAvailable();
    expect(counts()).toEqual([0, 5]); // 3 old + 5 new available = 8
    stopsFinish();
    expect(counts()).toEqual([5, 0]);
    newBecomeAvailable();
    expect(counts()).toEqual([0, 3]);
    stopsFinish();
    expect(sim.reconcile().status).toMatchObject({ phase: 'Available', revision: 2, stableRevision: 2 });
    for (const step of sim.steps.slice(rolloutFrom)) {
      expect(sim.notStopped(step.after)).toBeLessThanOrEqual(13);
      const stopped = new Set(step.plan.stop.map((s) => s.taskArn));
      const left = sim.available(step.before, step.plan.status, step.now).filter((t) => !stopped.has(t.taskArn));
      expect(left.length).toBeGreaterThanOrEqual(8);
    }
  });

  it('Recreate stops every old task and starts the new revision only once they are STOPPED', () => {
    const sim = stableFleet(makeSpec({ replicas: 3, strategy: 'Recreate' }));
    sim.update({ revision: 2 });
    const first = sim.reconcile();
    expect(first.stop).toHaveLength(3);
    expect(first.start).toEqual([]);
    expect(first.events.map((e) => e.message)).toContain('Rollout of revision 2 (Recreate): stopping 3 tasks of revision 1 before starting revision 2');
    expect(sim.reconcile().start).toEqual([]); // still stopping
    sim.settleTasks();
    expect(sim.reconcile().start.map((s) => [s.revision, s.slot])).toEqual([[2, 0], [2, 1], [2, 2]]);
  });

  it('trips the circuit breaker and rolls back to the stable revision, then does not retry the failed one', () => {
    const sim = stableFleet(makeSpec({ replicas: 4, maxSurge: 1, failureThreshold: 3 }));
    sim.behaviors.set(2, 'crash');
    sim.update({ revision: 2 });
    sim.runToQuiet();
    expect(messages(sim)).toContain(
      'Rollout of revision 2 failed: 3 tasks failed before becoming available (threshold 3); rolling back to revision 1',
    );
    expect(sim.status).toMatchObject({ phase: 'RolledBack', revision: 1, stableRevision: 1, targetRevision: 2 });
    expect(sim.status?.rollout).toMatchObject({ failedRevision: 2 });
    expect(sim.status?.message).toBe('Rolled back to revision 1 after revision 2 failed: 3 tasks failed before becoming available (threshold 3)');
    expect(sim.status?.conditions.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'CircuitBreakerTripped' });
    expect(sim.live(sim.tasks, 1)).toHaveLength(4);
    expect(messages(sim).filter((m) => m.startsWith('Rolled back'))).toHaveLength(1);

    sim.advance(3_600_000);
    const later = sim.reconcile();
    expect(later.start).toEqual([]);

    sim.behaviors.set(3, 'healthy');
    sim.update({ revision: 3 });
    sim.runToQuiet();
    expect(sim.status).toMatchObject({ phase: 'Available', revision: 3, stableRevision: 3 });
  });

  it('fails on the progress deadline when new tasks never become available', () => {
    const sim = stableFleet(makeSpec({ replicas: 2, progressDeadlineSeconds: 600 }));
    sim.update({ revision: 2 });
    const first = sim.reconcile(); // revision 2's tasks stay PROVISIONING: never progressed
    expect(first.requeueAfterMs).toBe(600_000);
    sim.advance(599_999);
    expect(sim.reconcile().status.phase).toBe('Progressing');
    sim.advance(1);
    const failed = sim.reconcile();
    expect(failed.events.map((e) => e.message)).toContain(
      'Rollout of revision 2 failed: no new task became available within 600 s (progressDeadlineSeconds); rolling back to revision 1',
    );
    expect(failed.status.phase).toBe('Failed');
    expect(failed.stop.length).toBeGreaterThan(0); // the stuck revision-2 tasks go
    sim.runToQuiet();
    expect(sim.status).toMatchObject({ phase: 'RolledBack', revision: 1 });
  });

  it('without autoRollback stops where it is: nothing started or stopped after the failure', () => {
    const sim = stableFleet(makeSpec({ replicas: 4, maxSurge: 1, failureThreshold: 3, autoRollback: false }));
    sim.behaviors.set(2, 'unhealthy');
    sim.update({ revision: 2 });
    sim.runToQuiet();
    expect(sim.status?.phase).toBe('Failed');
    expect(sim.status?.message).toMatch(/^Rollout of revision 2 failed: 3 tasks failed before becoming available \(threshold 3\); stopped where it is/);
    const failedAt = sim.steps.findIndex((s) => s.plan.events.some((e) => e.type === 'RolloutFailed'));
    for (const step of sim.steps.slice(failedAt + 1)) {
      expect(step.plan.start).toEqual([]);
      expect(step.plan.stop).toEqual([]);
    }
    expect(sim.live(sim.tasks, 1).length).toBeGreaterThanOrEqual(4); // old tasks kept, floor intact
  });

  it('pauses: plans nothing, and the deadline clock stops while paused', () => {
    const sim = stableFleet(makeSpec({ replicas: 2, progressDeadlineSeconds: 600 }));
    sim.update({ revision: 2 });
    sim.reconcile(); // rollout starts at T; its tasks never start
    sim.advance(100_000);
    sim.update({ paused: true });
    const paused = sim.reconcile();
    expect(paused).toMatchObject({ start: [], stop: [], status: { phase: 'Paused' } });
    expect(paused.requeueAfterMs).toBeUndefined();
    expect(paused.events.map((e) => e.type)).toContain('RolloutPaused');
    sim.advance(1_000_000);
    expect(sim.reconcile()).toMatchObject({ start: [], stop: [], events: [] });
    sim.update({ paused: false });
    const resumed = sim.reconcile();
    expect(resumed.status.phase).toBe('Progressing');
    expect(resumed.requeueAfterMs).toBe(500_000); // 600 s minus the 100 s before the pause
    expect(resumed.status.rollout?.pausedMs).toBe(1_000_000);
  });
});

describe('delete', () => {
  it('stops every task, reports Terminating, and asks for removal once none remain', () => {
    const sim = stableFleet();
    sim.update({ deleting: true });
    const first = sim.reconcile();
    expect(first.stop).toHaveLength(3);
    expect(first.status.phase).toBe('Terminating');
    expect(first.removeService).toBeUndefined();
    expect(first.events.map((e) => e.message)).toEqual(['Deleting service: stopping 3 tasks']);
    expect(sim.reconcile().stop).toEqual([]); // already asked
    sim.settleTasks();
    const last = sim.reconcile();
    expect(last.removeService).toBe(true);
    expect(last.status.message).toBe('Deleted: no tasks remain');
  });
});

describe('crash-loop backoff and new revisions', () => {
  it('starts a new revision at once, without the old revision\'s backoff', () => {
    const sim = stableFleet(makeSpec({ replicas: 2 }));
    sim.behaviors.set(1, 'crash');
    const sick = sim.tasks.find((t) => t.slot === 0)!;
    Object.assign(sick, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited', exitCode: 1, stoppedAt: sim.now });
    expect(sim.reconcile().status.backoff?.failures).toBe(1);
    sim.update({ revision: 2 });
    const next = sim.reconcile();
    expect(next.status.backoff).toBeUndefined();
    expect(next.start.length).toBeGreaterThan(0);
    expect(next.status.phase).not.toBe('Degraded');
  });
});
