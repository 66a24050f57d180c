import type { EventBridgeEvent } from 'aws-lambda';
import type { ObservedTask } from '../aws/container-runtime.js';
import type { JobStore } from '../aws/job-store.js';
import { jobRunOfGroup } from '../core/jobs/index.js';
import { countRunOutcome } from '../observability/job-metrics.js';
import type { MetricsRecorder } from '../observability/metrics.js';
import { taskDefinitionDefaults } from '../core/task-definition.js';
import { runChangesFor } from './run-outcome.js';

/** The fields of an `ECS Task State Change` detail a job run's outcome needs (times as ISO strings). */
export interface TaskStateChangeDetail {
  taskArn?: string;
  group?: string;
  startedBy?: string;
  taskDefinitionArn?: string;
  lastStatus?: string;
  desiredStatus?: string;
  createdAt?: string;
  startedAt?: string;
  stoppingAt?: string;
  stoppedAt?: string;
  stopCode?: string;
  stoppedReason?: string;
  containers?: { name?: string; exitCode?: number; reason?: string }[];
}

export type TaskStateChangeEvent = EventBridgeEvent<'ECS Task State Change', TaskStateChangeDetail>;

/** How often a write that raced the dispatcher is tried again on the fresh record. */
const maxAttempts = 3;

/**
 * Records a job task's state change on its run at once — Running, or Succeeded / Failed with
 * the exit code and stop reason — so `concurrencyPolicy: Forbid` and `GET /jobs` see the truth
 * without waiting for the dispatcher's next pass. The run comes from the task's group
 * (`corral-job:<job>:<tick>`). Events arrive at least once and in any order: the write lands only
 * while the run is in the status it was read in, and runChangesFor never moves a run backwards
 * (a RUNNING after a STOPPED changes nothing). Answers whether the run changed.
 */
export async function recordJobTaskEvent(jobs: JobStore, event: TaskStateChangeEvent, now: number, metrics: MetricsRecorder): Promise<boolean> {
  const detail = event.detail;
  const run = jobRunOfGroup(detail.group);
  if (run === undefined || detail.taskArn === undefined) return false;
  const task = observedTaskOf(detail);
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const record = await jobs.getRun(run.job, run.tick);
    // Unknown run (pruned, job deleted) or another task's (a launch that ECS answered twice).
    if (record === undefined || (record.taskArn !== undefined && record.taskArn !== task.taskArn)) return false;
    const changes = {
      ...(record.taskArn === undefined ? { startedAt: task.createdAt || now } : {}),
      ...runChangesFor(record, task, now),
    };
    if (Object.keys(changes).length === 0) return false;
    if (await jobs.recordTaskObservation(run.job, run.tick, task.taskArn, changes, [record.status])) {
      countRunOutcome(metrics, run.job, changes);
      return true;
    }
  }
  return false;
}

/** Whether an event is a state change of a job run's task (the dispatcher's to record). */
export function isJobTaskEvent(event: unknown): event is TaskStateChangeEvent {
  return isTaskStateChange(event) && jobRunOfGroup(event.detail.group) !== undefined;
}

export function isTaskStateChange(event: unknown): event is TaskStateChangeEvent {
  const e = event as Partial<TaskStateChangeEvent>;
  return e?.source === 'aws.ecs' && e['detail-type'] === 'ECS Task State Change' && typeof e.detail === 'object';
}

/** The event's task as ECS's DescribeTasks would show it, in the shape run outcomes read. */
function observedTaskOf(detail: TaskStateChangeDetail): ObservedTask {
  const time = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
  const containers = detail.containers ?? [];
  const essential = containers.find((c) => c.name === taskDefinitionDefaults.containerName) ?? containers[0];
  const optional: Partial<ObservedTask> = {
    startedBy: detail.startedBy,
    group: detail.group,
    startedAt: time(detail.startedAt),
    stoppingAt: time(detail.stoppingAt),
    stoppedAt: time(detail.stoppedAt),
    stopCode: detail.stopCode,
    stoppedReason: detail.stoppedReason,
    exitCode: essential?.exitCode ?? undefined,
    containerReason: essential?.reason ?? undefined,
  };
  return {
    taskArn: detail.taskArn!,
    taskDefinitionArn: detail.taskDefinitionArn ?? '',
    lastStatus: detail.lastStatus ?? 'PROVISIONING',
    desiredStatus: detail.desiredStatus ?? 'RUNNING',
    healthStatus: 'UNKNOWN',
    createdAt: time(detail.createdAt) ?? 0,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}
