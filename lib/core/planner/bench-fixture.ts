import type { Desired, Observed, ObservedTask, PlannerSpec } from './types.js';

/**
 * A steady fleet for timing `plan()` (the lead's `npm run bench`): `taskCount` tasks of one
 * service, all RUNNING, HEALTHY and available on revision 2, plus a status from a previous
 * reconcile — the sweep's common case. With `rollout: true` the user has just asked for
 * revision 3, so the planner does the full rollout arithmetic over every task.
 * Pure: timing is the caller's business, e.g.
 *   const { desired, observed, now } = benchmarkFleet(10_000);
 *   const t0 = performance.now(); plan(desired, observed, now); (performance.now() - t0) / 10_000
 */
export function benchmarkFleet(taskCount: number, options: { rollout?: boolean } = {}): { desired: Desired; observed: Observed; now: number } {
  const now = 1_800_000_000_000;
  const spec: PlannerSpec = {
    replicas: taskCount,
    strategy: 'RollingUpdate',
    maxSurge: Math.ceil(taskCount / 4),
    maxUnavailable: 0,
    minHealthySeconds: 10,
    progressDeadlineSeconds: 600,
    failureThreshold: Math.min(200, Math.max(3, Math.ceil(taskCount / 2))),
    autoRollback: true,
    hasHealthCheck: true,
  };
  const tasks: ObservedTask[] = [];
  const healthySince: Record<string, number> = {};
  for (let slot = 0; slot < taskCount; slot++) {
    const taskArn = `arn:aws:ecs:us-east-1:123456789012:task/corral/${slot.toString(16).padStart(32, '0')}`;
    tasks.push({
      taskArn,
      revision: 2,
      slot,
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      healthStatus: 'HEALTHY',
      createdAt: now - 3_600_000,
      startedAt: now - 3_590_000,
    });
    healthySince[taskArn] = now - 3_580_000;
  }
  const desired: Desired = {
    name: 'bench',
    generation: options.rollout ? 3 : 2,
    spec,
    revision: options.rollout ? 3 : 2,
    paused: false,
    deleting: false,
  };
  const observed: Observed = {
    tasks,
    status: {
      phase: 'Available',
      observedGeneration: 2,
      revision: 2,
      stableRevision: 2,
      targetRevision: 2,
      counts: { desired: taskCount, running: taskCount, healthy: taskCount, updated: taskCount, available: taskCount },
      message: `Revision 2 available: ${taskCount} of ${taskCount} tasks`,
      conditions: [],
      healthySince,
      failedTasks: {},
    },
  };
  return { desired, observed, now };
}
