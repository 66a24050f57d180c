import type { JobDispatchState, JobRecord, JobStore } from '../aws/job-store.js';
import type { ContainerRuntime } from '../aws/container-runtime.js';
import type { Lease } from '../core/lease/index.js';
import { templateOf } from '../core/spec/index.js';
import { jobTagKey, taskDefinitionFor, type TaskDefinitionInput } from '../core/task-definition.js';
import type { TaskDefinitionSettings } from '../reconciler/task-definitions.js';

/**
 * The ECS task definition of a job generation: family `corral-job-<name>` (taskDefinitionFor
 * names families `corral-<owner>`, so the owner is `job-<name>`), tagged `corral:job`, logging
 * to `<logGroupPrefix>job-<name>` with the generation as stream prefix.
 */
export function jobTaskDefinition(job: JobRecord, settings: TaskDefinitionSettings): TaskDefinitionInput {
  const owner = `job-${job.name}`;
  return {
    ...taskDefinitionFor({
      service: owner,
      revision: job.generation,
      template: templateOf(job.spec),
      executionRoleArn: settings.executionRoleArn,
      taskRoleArn: settings.taskRoleArn,
      logGroup: `${settings.logGroupPrefix}${owner}`,
      region: settings.region,
      ...(settings.cpuArchitecture ? { cpuArchitecture: settings.cpuArchitecture } : {}),
    }),
    tags: [{ key: jobTagKey, value: job.name }],
  };
}

/**
 * The task definition ARN for the job's current generation: the remembered one, or a new
 * registration that is then remembered (under the lease), so each generation registers once.
 */
export async function taskDefinitionArnFor(
  deps: { jobs: JobStore; runtime: ContainerRuntime; taskDefinitions: TaskDefinitionSettings },
  lease: Pick<Lease, 'token'>,
  job: JobRecord,
  state: JobDispatchState,
): Promise<string> {
  if (state.taskDefinitionGeneration === job.generation && state.taskDefinitionArn) return state.taskDefinitionArn;
  const arn = await deps.runtime.registerTaskDefinition(jobTaskDefinition(job, deps.taskDefinitions));
  await deps.jobs.rememberTaskDefinition(lease, job.name, job.generation, arn);
  return arn;
}
