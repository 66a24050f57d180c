import { taskDefinitionFor, type CpuArchitecture } from '../core/task-definition.js';
import { templateHash, templateOf } from '../core/spec/index.js';
import type { ContainerRuntime } from '../aws/container-runtime.js';
import type { RevisionRecord, ServiceRecord, StateStore } from '../aws/state-store.js';

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
 * One ECS task definition per revision, registered the first time a task of that revision is
 * started and remembered in the revision record, so it is registered once.
 */
export class TaskDefinitions {
  private readonly byRevision: Map<number, RevisionRecord>;

  constructor(
    private readonly deps: { store: StateStore; runtime: ContainerRuntime; taskDefinitions: TaskDefinitionSettings },
    private readonly service: string,
    revisions: RevisionRecord[],
  ) {
    this.byRevision = new Map(revisions.map((r) => [r.revision, r]));
  }

  /**
   * The API writes the revision record right after committing the spec; if it died in
   * between, the spec alone still says what the revision's template is.
   */
  async ensureRecorded(record: ServiceRecord): Promise<void> {
    if (this.byRevision.has(record.revision)) return;
    const template = templateOf(record.spec);
    const revision: RevisionRecord = {
      revision: record.revision, template, templateHash: templateHash(template),
      reason: 'recorded by the reconciler', createdAt: record.updatedAt,
    };
    await this.deps.store.putRevision(this.service, revision);
    this.byRevision.set(record.revision, (await this.deps.store.getRevision(this.service, record.revision)) ?? revision);
  }

  async arnFor(revision: number): Promise<string> {
    const record = this.byRevision.get(revision) ?? (await this.deps.store.getRevision(this.service, revision));
    if (!record) throw new Error(`revision ${revision} of service ${this.service} has no record`);
    if (record.taskDefinitionArn) return record.taskDefinitionArn;
    const settings = this.deps.taskDefinitions;
    const arn = await this.deps.runtime.registerTaskDefinition(taskDefinitionFor({
      service: this.service,
      revision,
      template: record.template,
      executionRoleArn: settings.executionRoleArn,
      taskRoleArn: settings.taskRoleArn,
      logGroup: `${settings.logGroupPrefix}${this.service}`,
      region: settings.region,
      ...(settings.cpuArchitecture ? { cpuArchitecture: settings.cpuArchitecture } : {}),
    }));
    await this.deps.store.setTaskDefinitionArn(this.service, revision, arn);
    this.byRevision.set(revision, { ...record, taskDefinitionArn: arn });
    return arn;
  }
}
