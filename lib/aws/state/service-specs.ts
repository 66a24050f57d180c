import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../clock.js';
import { allocateForRestart, allocateForSpec, rollbackTo, type NewRevision, type ServiceSpec } from '../../core/spec/index.js';
import { checkIfMatch, queryAll, withGenerationRetry, type WriteOptions } from '../generation-writes.js';
import { ConflictError, GenerationMismatchError, NotFoundError } from '../store-errors.js';
import { tableSchema } from '../table-schema.js';
import { itemKey, serviceKeys } from './keys.js';
import { toRevisionRecord, toServiceRecord, type ServiceRecord } from './records.js';
import { toStoredVariables } from '../variable-items.js';

/**
 * What a new rollout starts without: the promotions and the abort of the one before. A change that
 * keeps the revision (a scale in mid-rollout) keeps them.
 */
function freshRollout(current: ServiceRecord, revision: number): Partial<ServiceRecord> {
  return revision === current.revision ? {} : { promotion: undefined, abortedRevision: undefined };
}

/**
 * Spec items: the desired state the API writes. Every write is conditional on the generation it
 * read, so two concurrent writers never lose an update silently: with `If-Match` the loser gets
 * GenerationMismatchError (412); without it the loser re-reads and applies its change on top. A
 * change that allocates a revision writes the spec and the revision record in one transaction,
 * so a spec never points at a revision that was not recorded. What a change does to revisions
 * is decided in lib/core/spec/revision-allocation.ts.
 */
export class DynamoServiceSpecs {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async getService(name: string): Promise<ServiceRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKey(serviceKeys.partition(name), serviceKeys.spec), ConsistentRead: true }));
    return out.Item ? toServiceRecord(out.Item) : undefined;
  }

  async listServices(): Promise<ServiceRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: tableSchema.kindIndex.name,
      KeyConditionExpression: '#kind = :kind',
      ExpressionAttributeNames: { '#kind': 'kind' },
      ExpressionAttributeValues: { ':kind': 'service' },
    });
    return items.map(toServiceRecord);
  }

  /** Creates or replaces a spec. A changed task template allocates a new revision. */
  async putService(name: string, spec: ServiceSpec, options: WriteOptions = {}): Promise<{ record: ServiceRecord; created: boolean; newRevision: boolean }> {
    return withGenerationRetry(options, async () => {
      const current = await this.getService(name);
      checkIfMatch(options, current);
      if (current?.deleting) throw new ConflictError(`service ${name} is being deleted`);
      const currentTemplate = current ? (await this.revisionTemplate(name, current.revision)) : undefined;
      const allocation = allocateForSpec(current, currentTemplate, spec);
      if (allocation === 'unchanged') return { record: current!, created: false, newRevision: false };
      const now = this.timestamp();
      const { newRevision, ...pointers } = allocation;
      const record: ServiceRecord = current
        ? { ...current, ...pointers, spec, generation: current.generation + 1, ...freshRollout(current, pointers.revision), updatedAt: now }
        : { name, generation: 1, spec, ...pointers, paused: false, deleting: false, createdAt: now, updatedAt: now };
      await this.commit(record, current?.generation, newRevision);
      return { record, created: !current, newRevision: newRevision !== undefined };
    });
  }

  /** Applies `change` to the current record as a new generation (scale, pause, delete). */
  async updateService(
    name: string,
    change: (current: ServiceRecord) => Partial<ServiceRecord>,
    options: WriteOptions & { allowWhileDeleting?: boolean } = {},
  ): Promise<ServiceRecord> {
    return this.change(name, options, (current) => ({ record: { ...current, ...change(current) } }));
  }

  /** Points the service at an existing revision as a new generation (see `rollbackTo`). */
  async rollbackService(name: string, toRevision: number, options: WriteOptions = {}): Promise<ServiceRecord> {
    const target = await this.revisionTemplate(name, toRevision);
    if (!target) throw new NotFoundError('revision', `${name}/${toRevision}`);
    // A revision rolled back to is a fresh rollout, even one the user once aborted.
    return this.change(name, options, (current) => ({
      record: { ...current, ...rollbackTo(current, { revision: toRevision, template: target }), ...freshRollout(current, -1) },
    }));
  }

  /**
   * A new revision with an unchanged template, so every task is replaced (secret rotation).
   * With a `trigger`, a second call for the same trigger (a retried rotation step) is a no-op.
   */
  async restartService(name: string, reason: string, trigger?: string): Promise<{ record: ServiceRecord; restarted: boolean }> {
    if (trigger) {
      const current = await this.getService(name);
      if (current && (await this.revisionRecord(name, current.revision))?.trigger === trigger) return { record: current, restarted: false };
    }
    const record = await this.change(name, {}, (current) => {
      const { newRevision, ...pointers } = allocateForRestart(current, reason, trigger);
      return { record: { ...current, ...pointers }, newRevision };
    });
    return { record, restarted: true };
  }

  /** A read-modify-write of an existing service as a new generation. */
  private async change(
    name: string,
    options: WriteOptions & { allowWhileDeleting?: boolean },
    next: (current: ServiceRecord) => { record: ServiceRecord; newRevision?: NewRevision },
  ): Promise<ServiceRecord> {
    return withGenerationRetry(options, async () => {
      const current = await this.getService(name);
      if (!current) {
        if (options.ifMatch !== undefined) throw new GenerationMismatchError(options.ifMatch, undefined);
        throw new NotFoundError('service', name);
      }
      checkIfMatch(options, current);
      if (current.deleting && !options.allowWhileDeleting) throw new ConflictError(`service ${name} is being deleted`);
      const { record, newRevision } = next(current);
      const committed: ServiceRecord = { ...record, name, generation: current.generation + 1, updatedAt: this.timestamp() };
      await this.commit(committed, current.generation, newRevision);
      return committed;
    });
  }

  /** The spec item, conditional on the generation read; with a new revision, both in one transaction. */
  private async commit(record: ServiceRecord, expectedGeneration: number | undefined, newRevision: NewRevision | undefined): Promise<void> {
    const spec = {
      TableName: this.tableName,
      Item: { ...itemKey(serviceKeys.partition(record.name), serviceKeys.spec), kind: 'service', ...record, spec: toStoredVariables(record.spec) },
      ...(expectedGeneration === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'generation = :expected', ExpressionAttributeValues: { ':expected': expectedGeneration } }),
    };
    if (!newRevision) {
      await this.db.send(new PutCommand(spec));
      return;
    }
    const revision = {
      TableName: this.tableName,
      Item: { ...itemKey(serviceKeys.partition(record.name), serviceKeys.revision(newRevision.revision)), ...newRevision, template: toStoredVariables(newRevision.template), createdAt: record.updatedAt },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    await this.db.send(new TransactWriteCommand({ TransactItems: [{ Put: spec }, { Put: revision }] }));
  }

  private async revisionRecord(name: string, revision: number) {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKey(serviceKeys.partition(name), serviceKeys.revision(revision)), ConsistentRead: true }));
    return out.Item ? toRevisionRecord(out.Item) : undefined;
  }

  private async revisionTemplate(name: string, revision: number) {
    return (await this.revisionRecord(name, revision))?.template;
  }

  private timestamp(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
