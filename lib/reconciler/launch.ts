import { runTaskClientToken } from '../core/client-token.js';
import type { LaunchReport, PlannedStart } from '../core/planner/index.js';
import { revisionTagKey, serviceStartedBy, serviceTagKey } from '../core/task-definition.js';
import { splitIntoRunTaskCalls, type ContainerRuntime } from '../aws/container-runtime.js';
import { ContainerRuntimeError, ThrottledError } from '../aws/ecs-errors.js';
import type { ServiceRecord } from '../aws/state-store.js';

/**
 * Starts the planned tasks and reports what ECS did: per revision, RunTask calls of up to ten,
 * each with a client token derived from the service, revision, generation, the observed fleet
 * (running and stopped tasks), the call's index and the launch-failure count, so a retried
 * invocation that computes the same plan gets ECS's idempotent answer instead of a second
 * launch, while a launch after a failures-only RunTask (which changes no fleet) gets a fresh
 * token. RunTask's `failures` and refused calls go in the report (afterLaunch decides what they
 * mean); throttling propagates so the reconcile is retried a little later.
 */
export async function launchPlannedTasks(
  deps: { runtime: ContainerRuntime },
  input: { record: ServiceRecord; starts: PlannedStart[]; fleet: string[]; attempt: number; arns: ReadonlyMap<number, string> },
): Promise<LaunchReport & { taskArns: string[] }> {
  const { record } = input;
  const counts = new Map<number, number>();
  for (const start of input.starts) counts.set(start.revision, (counts.get(start.revision) ?? 0) + 1);
  const report: LaunchReport & { taskArns: string[] } = { started: [], failures: [], taskArns: [] };
  for (const [revision, count] of counts) {
    let started = 0;
    for (const [batch, size] of splitIntoRunTaskCalls(count).entries()) {
      const clientToken = runTaskClientToken({ service: record.name, incarnation: record.createdAt, revision, generation: record.generation, fleet: input.fleet, batch, attempt: input.attempt });
      try {
        const result = await deps.runtime.runTasks({
          taskDefinitionArn: input.arns.get(revision)!, count: size, startedBy: serviceStartedBy(record.name), clientToken,
          tags: { [serviceTagKey]: record.name, [revisionTagKey]: String(revision) },
        });
        started += result.tasks.length;
        report.taskArns.push(...result.tasks.map((t) => t.taskArn));
        for (const failure of result.failures) {
          const why = [failure.reason, failure.detail].filter(Boolean).join(': ');
          report.failures.push({ type: 'RunTaskFailed', revision, reason: why, message: `ECS could not start a task of revision ${revision}: ${why}` });
        }
      } catch (error) {
        if (error instanceof ThrottledError || !(error instanceof ContainerRuntimeError)) throw error;
        report.failures.push({ type: 'RunTaskFailed', revision, reason: error.message, message: `RunTask for ${size} task(s) of revision ${revision} failed: ${error.message}` });
      }
    }
    report.started.push({ revision, count: started });
  }
  return report;
}
