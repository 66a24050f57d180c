import { resolveRollout } from '../core/spec/index.js';
import type { Desired, ObservedTask, ServiceStatus } from '../core/planner/index.js';
import type { ObservedTask as EcsTask } from '../aws/container-runtime.js';
import type { ServiceRecord } from '../aws/state-store.js';
import type { PlanningRevision } from '../aws/state/planning-digest.js';

/** The planner's view of the desired state: the spec with rollout percentages resolved to counts. */
export function desiredOf(record: ServiceRecord, revisions: readonly PlanningRevision[]): Desired {
  const { spec } = record;
  const rollout = resolveRollout(spec);
  return {
    name: record.name,
    generation: record.generation,
    revision: record.revision,
    paused: record.paused,
    deleting: record.deleting,
    ...(record.promotion ? { promotion: record.promotion } : {}),
    ...(record.abortedRevision !== undefined && record.abortedRevision === record.revision ? { aborted: true } : {}),
    spec: {
      replicas: spec.replicas,
      strategy: spec.rollout.strategy,
      maxSurge: rollout.maxSurge,
      maxUnavailable: rollout.maxUnavailable,
      minHealthySeconds: spec.rollout.minHealthySeconds,
      progressDeadlineSeconds: spec.rollout.progressDeadlineSeconds,
      failureThreshold: rollout.failureThreshold,
      autoRollback: spec.rollout.autoRollback,
      hasHealthCheck: spec.healthCheck !== undefined,
      ...(spec.rollout.steps === undefined ? {} : { steps: spec.rollout.steps }),
      ...(spec.rollout.alarms?.length ? { alarms: spec.rollout.alarms } : {}),
    },
    revisionSpecs: {
      ...Object.fromEntries(revisions.map((r) => [r.revision, { hasHealthCheck: r.template.healthCheck !== undefined, image: r.template.image }])),
      ...(revisions.some((r) => r.revision === record.revision) ? {} : { [record.revision]: { hasHealthCheck: spec.healthCheck !== undefined, image: spec.image } }),
    },
    revisions: revisions.map((r) => r.revision),
    revisionHistoryLimit: spec.revisionHistoryLimit,
  };
}

/**
 * ECS tasks as the planner sees them. Tasks without Corral's revision tag are not ours to
 * plan (the sweep's orphan collection handles strays). ECS keeps no per-task slot (a RunTask
 * call of ten tasks tags all ten alike), so slots are positions within a revision: live tasks
 * first in launch order, then the departing and stopped ones, newest first, which therefore
 * never hold a slot that a live task could fill — and the task a replacement takes over from is
 * the one that just went, not the same long-stopped task each time.
 */
export function observedTasksOf(tasks: EcsTask[], previous: ServiceStatus | undefined): ObservedTask[] {
  const byRevision = new Map<number, EcsTask[]>();
  for (const task of tasks) {
    if (task.revision === undefined) continue;
    const list = byRevision.get(task.revision) ?? [];
    list.push(task);
    byRevision.set(task.revision, list);
  }
  const observed: ObservedTask[] = [];
  for (const [revision, list] of byRevision) {
    list.sort((a, b) => Number(isDeparting(a)) - Number(isDeparting(b)) || launchOrder(a, b) || a.taskArn.localeCompare(b.taskArn));
    list.forEach((task, slot) => {
      observed.push({
        taskArn: task.taskArn,
        revision,
        slot,
        lastStatus: task.lastStatus,
        desiredStatus: task.desiredStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING',
        healthStatus: task.healthStatus,
        createdAt: task.createdAt,
        ...(task.startedAt !== undefined ? { startedAt: task.startedAt } : {}),
        ...(task.stoppedAt !== undefined ? { stoppedAt: task.stoppedAt } : {}),
        ...(previous?.healthySince[task.taskArn] !== undefined ? { healthySince: previous.healthySince[task.taskArn] } : {}),
        ...(task.stopCode !== undefined ? { stopCode: task.stopCode } : {}),
        ...(task.stoppedReason !== undefined ? { stoppedReason: task.stoppedReason } : {}),
        ...(task.exitCode !== undefined ? { exitCode: task.exitCode } : {}),
      });
    });
  }
  return observed;
}

/** Live tasks oldest first; departing ones newest first. */
function launchOrder(a: EcsTask, b: EcsTask): number {
  return isDeparting(a) ? b.createdAt - a.createdAt : a.createdAt - b.createdAt;
}

function isDeparting(task: EcsTask): boolean {
  return task.lastStatus === 'STOPPED' || task.desiredStatus === 'STOPPED';
}
