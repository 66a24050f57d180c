import { runTaskClientToken } from '../core/client-token.js';
import type { PlannedStart } from '../core/planner/index.js';
import { revisionTagKey, serviceStartedBy, serviceTagKey } from '../core/task-definition.js';
import { splitIntoRunTaskCalls, type ContainerRuntime } from '../aws/container-runtime.js';
import { ContainerRuntimeError, ThrottledError } from '../aws/ecs-errors.js';
import type { ServiceEvent, ServiceRecord } from '../aws/state-store.js';
import type { TaskDefinitions } from './task-definitions.js';

export interface LaunchOutcome {
  events: Omit<ServiceEvent, 'time'>[];
  /** Some planned task did not start (capacity, a bad definition): the service backs off. */
  failed: boolean;
  failureSummary: string;
}

/**
 * Starts the planned tasks: per revision, RunTask calls of up to ten, each with a client token
 * derived from the service, revision, generation, the observed fleet (running and stopped
 * tasks), the call's index and the launch-failure count, so a retried invocation that computes
 * the same plan gets ECS's idempotent answer instead of a second launch, while a launch after a
 * failures-only RunTask (which changes no fleet) gets a fresh token rather than the replayed
 * failure. RunTask's `failures` and refused calls become events and a backoff; throttling
 * propagates so the reconcile is retried a little later.
 */
export async function launchPlannedTasks(
  deps: { runtime: ContainerRuntime },
  input: { record: ServiceRecord; starts: PlannedStart[]; fleet: string[]; attempt: number; taskDefinitions: TaskDefinitions },
): Promise<LaunchOutcome> {
  const { record } = input;
  const counts = new Map<number, number>();
  for (const start of input.starts) counts.set(start.revision, (counts.get(start.revision) ?? 0) + 1);
  const events: LaunchOutcome['events'] = [];
  const failures: string[] = [];
  for (const [revision, count] of counts) {
    let taskDefinitionArn: string;
    try {
      taskDefinitionArn = await input.taskDefinitions.arnFor(revision);
    } catch (error) {
      if (error instanceof ThrottledError || !(error instanceof ContainerRuntimeError)) throw error;
      failures.push(`task definition of revision ${revision} was refused: ${error.message}`);
      events.push({ type: 'TaskDefinitionRejected', message: `ECS refused the task definition of revision ${revision}: ${error.message}`, revision });
      continue;
    }
    const calls = splitIntoRunTaskCalls(count);
    for (const [batch, size] of calls.entries()) {
      const clientToken = runTaskClientToken({ service: record.name, incarnation: record.createdAt, revision, generation: record.generation, fleet: input.fleet, batch, attempt: input.attempt });
      let result;
      try {
        result = await deps.runtime.runTasks({
          taskDefinitionArn, count: size, startedBy: serviceStartedBy(record.name), clientToken,
          tags: { [serviceTagKey]: record.name, [revisionTagKey]: String(revision) },
        });
      } catch (error) {
        if (error instanceof ThrottledError || !(error instanceof ContainerRuntimeError)) throw error;
        failures.push(error.message);
        events.push({ type: 'RunTaskFailed', message: `RunTask for ${size} task(s) of revision ${revision} failed: ${error.message}`, revision });
        continue;
      }
      if (result.tasks.length > 0) {
        events.push({ type: 'TasksStarted', message: `Started ${result.tasks.length} task(s) of revision ${revision}`, revision });
      }
      for (const failure of result.failures) {
        const why = [failure.reason, failure.detail].filter(Boolean).join(': ');
        failures.push(why);
        events.push({ type: 'RunTaskFailed', message: `ECS could not start a task of revision ${revision}: ${why}`, revision });
      }
    }
  }
  return { events, failed: failures.length > 0, failureSummary: failures.slice(0, 3).join('; ') };
}
