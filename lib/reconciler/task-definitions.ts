import { taskDefinitionFor, type CpuArchitecture } from '../core/task-definition.js';
import { templateOf } from '../core/spec/index.js';
import type { ContainerRuntime } from '../aws/container-runtime.js';
import { ContainerRuntimeError } from '../aws/ecs-errors.js';
import type { RevisionRecord, ServiceRecord } from '../aws/state-store.js';
import { TerminalError } from './errors.js';

/** Where task definitions put their logs and which roles they run with (from the stack). */
export interface TaskDefinitionSettings {
  executionRoleArn: string;
  taskRoleArn: string;
  /** Each service logs to `<prefix><service>`. */
  logGroupPrefix: string;
  region: string;
  cpuArchitecture?: CpuArchitecture;
}

/**
 * The task definition ARN of every revision in `revisions`, registering the ones not recorded
 * yet (the reconcile records the new ARNs in its transaction, so each is registered once; a crash
 * before that write registers it again, which is harmless). ECS refusing a definition outright
 * (a bad image name, an unknown secret) is a TerminalError.
 */
export async function taskDefinitionArns(
  deps: { runtime: ContainerRuntime; taskDefinitions: TaskDefinitionSettings },
  record: ServiceRecord,
  known: readonly RevisionRecord[],
  revisions: readonly number[],
): Promise<{ arns: Map<number, string>; registered: { revision: number; arn: string }[] }> {
  const arns = new Map<number, string>();
  const registered: { revision: number; arn: string }[] = [];
  for (const revision of new Set(revisions)) {
    const stored = known.find((r) => r.revision === revision);
    if (stored?.taskDefinitionArn) {
      arns.set(revision, stored.taskDefinitionArn);
      continue;
    }
    // A revision without a record can only be the spec's own (written before revisions and specs
    // were committed together): the spec says what its template is.
    const template = stored?.template ?? (revision === record.revision ? templateOf(record.spec) : undefined);
    if (!template) throw new TerminalError('RevisionMissing', `revision ${revision} of service ${record.name} has no record`);
    const settings = deps.taskDefinitions;
    let arn: string;
    try {
      arn = await deps.runtime.registerTaskDefinition(taskDefinitionFor({
        service: record.name, revision, template,
        executionRoleArn: settings.executionRoleArn, taskRoleArn: settings.taskRoleArn,
        logGroup: `${settings.logGroupPrefix}${record.name}`, region: settings.region,
        ...(settings.cpuArchitecture ? { cpuArchitecture: settings.cpuArchitecture } : {}),
      }));
    } catch (error) {
      if (error instanceof ContainerRuntimeError && error.terminal) {
        throw new TerminalError('TaskDefinitionRejected', `ECS refused the task definition of revision ${revision}: ${error.message}`, { cause: error });
      }
      throw error;
    }
    arns.set(revision, arn);
    if (stored) registered.push({ revision, arn });
  }
  return { arns, registered };
}
