import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../clock.js';
import { canonicalJson, templateHash, templateOf, type ServiceSpec, type TaskTemplate } from '../core/spec/index.js';
import type { ServiceStatus } from '../core/planner/index.js';
import { tableSchema } from './table-schema.js';
import type { Lease } from '../core/lease/index.js';
import { fencedCondition, fencedWriteRejection } from './lease-fence.js';
import { ConflictError, GenerationMismatchError, NotFoundError } from './store-errors.js';
import { fromStoredVariables, toStoredVariables } from './variable-items.js';
import { checkIfMatch, queryAll, withGenerationRetry, type WriteOptions } from './generation-writes.js';

export type { WriteOptions };

/** The desired state of one service, as the API wrote it. */
export interface ServiceRecord {
  name: string;
  /** Increments on every accepted change; the API's ETag. */
  generation: number;
  spec: ServiceSpec;
  /** The revision the spec asks for (a rollback points this at an older one). */
  revision: number;
  /** The highest revision number ever allocated. */
  latestRevision: number;
  /** The revision the spec pointed at before the last change of revision (for an undo). */
  previousRevision?: number;
  paused: boolean;
  deleting: boolean;
  createdAt: string;
  updatedAt: string;
}

/** One task template, recorded for every change of it. */
export interface RevisionRecord {
  revision: number;
  template: TaskTemplate;
  templateHash: string;
  reason: string;
  /** What asked for it, when that must not ask twice (e.g. `rotation:<version id>`). */
  trigger?: string;
  createdAt: string;
  taskDefinitionArn?: string;
}

export interface ServiceEvent {
  time: string;
  type: string;
  message: string;
  taskArn?: string;
  revision?: number;
}

export interface StatusRecord {
  status: ServiceStatus;
  /** The lease token of the reconciler that wrote it. */
  fence: number;
  updatedAt: string;
}

/** Events are kept for a week (DynamoDB TTL removes them; reads filter expired ones too). */
const eventRetentionSeconds = 7 * 24 * 3600;

const keys = {
  service: (name: string) => `service#${name}`,
  revision: (revision: number) => `revision#${String(revision).padStart(10, '0')}`,
};

/**
 * DynamoDB adapter for desired state, revisions, status and events.
 *
 * Every write is conditional on the generation it read, so two concurrent writers never lose
 * an update silently: with `If-Match` the loser gets GenerationMismatchError (412); without it
 * the loser re-reads and applies its change on top (both changes land, as two generations).
 * The spec item is the commit point; the revision record is written after it and re-written
 * by the reconciler if a crash left it missing, since the spec alone determines the template.
 */
export class StateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async getService(name: string): Promise<ServiceRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: keys.service(name), sk: 'spec' }, ConsistentRead: true }),
    );
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
  async putService(
    name: string,
    spec: ServiceSpec,
    options: WriteOptions = {},
  ): Promise<{ record: ServiceRecord; created: boolean; newRevision: boolean }> {
    const template = templateOf(spec);
    const hash = templateHash(template);
    return withGenerationRetry(options, async () => {
      const current = await this.getService(name);
      checkIfMatch(options, current);
      if (current?.deleting) throw new ConflictError(`service ${name} is being deleted`);
      const now = this.timestamp();
      if (!current) {
        const record: ServiceRecord = {
          name, generation: 1, spec, revision: 1, latestRevision: 1,
          paused: false, deleting: false, createdAt: now, updatedAt: now,
        };
        await this.commitService(record, undefined);
        await this.putRevision(name, { revision: 1, template, templateHash: hash, reason: 'created', createdAt: now });
        return { record, created: true, newRevision: true };
      }
      // Re-applying the same spec changes nothing (no new generation), as `kubectl apply` does.
      if (canonicalJson(current.spec) === canonicalJson(spec)) return { record: current, created: false, newRevision: false };
      const currentRevision = await this.getRevision(name, current.revision);
      const changed = currentRevision?.templateHash !== hash;
      const revision = changed ? current.latestRevision + 1 : current.revision;
      const record: ServiceRecord = {
        ...current, spec, revision, latestRevision: Math.max(current.latestRevision, revision),
        ...(changed ? { previousRevision: current.revision } : {}),
        generation: current.generation + 1, updatedAt: now,
      };
      await this.commitService(record, current.generation);
      if (changed) {
        await this.putRevision(name, { revision, template, templateHash: hash, reason: describeChange(currentRevision?.template, template), createdAt: now });
      }
      return { record, created: false, newRevision: changed };
    });
  }

  /** Applies `change` to the current record as a new generation (scale, pause, delete, rollback). */
  async updateService(
    name: string,
    change: (current: ServiceRecord) => Promise<Partial<ServiceRecord>> | Partial<ServiceRecord>,
    options: WriteOptions & { allowWhileDeleting?: boolean } = {},
  ): Promise<ServiceRecord> {
    return withGenerationRetry(options, async () => {
      const current = await this.getService(name);
      if (!current) {
        if (options.ifMatch !== undefined) throw new GenerationMismatchError(options.ifMatch, undefined);
        throw new NotFoundError('service', name);
      }
      checkIfMatch(options, current);
      if (current.deleting && !options.allowWhileDeleting) throw new ConflictError(`service ${name} is being deleted`);
      const record: ServiceRecord = {
        ...current, ...(await change(current)),
        name, generation: current.generation + 1, updatedAt: this.timestamp(),
      };
      await this.commitService(record, current.generation);
      return record;
    });
  }

  /**
   * Points the service at an existing revision as a new generation, copying that revision's
   * task template into the spec (replicas and rollout policy stay as they are).
   */
  async rollbackService(name: string, toRevision: number, options: WriteOptions = {}): Promise<ServiceRecord> {
    const target = await this.getRevision(name, toRevision);
    if (!target) throw new NotFoundError('revision', `${name}/${toRevision}`);
    return this.updateService(name, (current) => ({
      revision: toRevision,
      previousRevision: current.revision,
      spec: { ...current.spec, ...specFieldsOf(target.template) },
    }), options);
  }

  /**
   * A new revision with an unchanged template, so every task is replaced (secret rotation).
   * With a `trigger`, a second call for the same trigger (a retried rotation step) is a no-op.
   */
  async restartService(name: string, reason: string, trigger?: string): Promise<{ record: ServiceRecord; restarted: boolean }> {
    if (trigger) {
      const current = await this.getService(name);
      if (current && (await this.getRevision(name, current.revision))?.trigger === trigger) return { record: current, restarted: false };
    }
    let revisionRecord: RevisionRecord | undefined;
    const record = await this.updateService(name, (current) => {
      const revision = current.latestRevision + 1;
      const template = templateOf(current.spec);
      revisionRecord = {
        revision, template, templateHash: templateHash(template), reason, createdAt: this.timestamp(),
        ...(trigger ? { trigger } : {}),
      };
      return { revision, latestRevision: revision, previousRevision: current.revision };
    });
    if (revisionRecord) await this.putRevision(name, revisionRecord);
    return { record, restarted: true };
  }

  async getRevision(name: string, revision: number): Promise<RevisionRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: keys.service(name), sk: keys.revision(revision) }, ConsistentRead: true }),
    );
    return out.Item ? toRevisionRecord(out.Item) : undefined;
  }

  async listRevisions(name: string): Promise<RevisionRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.service(name), ':prefix': 'revision#' },
      ConsistentRead: true,
    });
    return items.map(toRevisionRecord);
  }

  /** Writes a revision record once; an existing one is left as it is. */
  async putRevision(name: string, record: RevisionRecord): Promise<void> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName,
        Item: { pk: keys.service(name), sk: keys.revision(record.revision), ...record, template: toStoredVariables(record.template) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async setTaskDefinitionArn(name: string, revision: number, taskDefinitionArn: string): Promise<void> {
    await this.db.send(new UpdateCommand({
      TableName: this.tableName,
      Key: { pk: keys.service(name), sk: keys.revision(revision) },
      UpdateExpression: 'SET taskDefinitionArn = :arn',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':arn': taskDefinitionArn },
    }));
  }

  /** Keeps the newest `keep` revisions plus the ones listed in `protect`. */
  async pruneRevisions(name: string, keep: number, protect: number[]): Promise<number[]> {
    const revisions = (await this.listRevisions(name)).map((r) => r.revision).sort((a, b) => b - a);
    const doomed = revisions.slice(keep).filter((r) => !protect.includes(r));
    await this.deleteKeys(doomed.map((r) => ({ pk: keys.service(name), sk: keys.revision(r) })));
    return doomed;
  }

  async getStatus(name: string): Promise<StatusRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: keys.service(name), sk: 'status' }, ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    return { status: out.Item.status as ServiceStatus, fence: Number(out.Item.fence ?? 0), updatedAt: String(out.Item.updatedAt) };
  }

  /**
   * Writes status under a lease's fencing token: accepted only while no newer token has
   * written it, so a reconciler whose lease was taken over cannot overwrite its successor
   * (FencedWriteRejectedError).
   */
  async putStatus(name: string, status: ServiceStatus, lease: Pick<Lease, 'token'>): Promise<void> {
    const fence = fencedCondition(lease);
    const key = { pk: keys.service(name), sk: 'status' };
    try {
      await this.db.send(new PutCommand({
        TableName: this.tableName,
        Item: { ...key, status, updatedAt: this.timestamp(), ...fence.attributes },
        ConditionExpression: fence.condition,
        ExpressionAttributeNames: { ...fence.names },
        ExpressionAttributeValues: { ...fence.values },
      }));
    } catch (error) {
      throw (await fencedWriteRejection(error, lease, { documents: this.db, tableName: this.tableName, key })) ?? error;
    }
  }

  async appendEvents(name: string, events: Omit<ServiceEvent, 'time'>[]): Promise<void> {
    if (events.length === 0) return;
    const nowMs = this.clock.now();
    const expiresAt = Math.floor(nowMs / 1000) + eventRetentionSeconds;
    const items = events.map((event, index) => {
      const time = new Date(nowMs).toISOString();
      return {
        PutRequest: {
          Item: {
            pk: keys.service(name),
            sk: `event#${time}#${String(index).padStart(4, '0')}#${randomUUID()}`,
            ...event, time, expiresAt,
          },
        },
      };
    });
    await this.batchWrite(items);
  }

  /** Recent events, newest first. */
  async listEvents(name: string, limit = 50): Promise<ServiceEvent[]> {
    const out = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'expiresAt > :now',
      ExpressionAttributeValues: { ':pk': keys.service(name), ':prefix': 'event#', ':now': Math.floor(this.clock.now() / 1000) },
      ScanIndexForward: false,
      Limit: limit,
    }));
    return (out.Items ?? []).map((item) => ({
      time: String(item.time), type: String(item.type), message: String(item.message),
      ...(item.taskArn ? { taskArn: String(item.taskArn) } : {}),
      ...(item.revision !== undefined ? { revision: Number(item.revision) } : {}),
    }));
  }

  /** Removes every item of a deleted service; the spec item goes last, and only while deleting. */
  async removeService(name: string): Promise<void> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.service(name) },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    await this.deleteKeys(items.filter((i) => i.sk !== 'spec').map((i) => ({ pk: i.pk, sk: i.sk })));
    try {
      await this.db.send(new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: keys.service(name), sk: 'spec' },
        ConditionExpression: 'deleting = :true',
        ExpressionAttributeValues: { ':true': true },
      }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async commitService(record: ServiceRecord, expectedGeneration: number | undefined): Promise<void> {
    const condition = expectedGeneration === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'generation = :expected', ExpressionAttributeValues: { ':expected': expectedGeneration } };
    await this.db.send(new PutCommand({
      TableName: this.tableName,
      Item: { pk: keys.service(record.name), sk: 'spec', kind: 'service', ...record, spec: toStoredVariables(record.spec) },
      ...condition,
    }));
  }

  /**
   * Runs a read-modify-write. A lost race with `If-Match` is the caller's 412; without it, the
   * change is re-applied on the fresh state.
   */


  private async deleteKeys(keyList: { pk: string; sk: string }[]): Promise<void> {
    await this.batchWrite(keyList.map((Key) => ({ DeleteRequest: { Key } })));
  }

  /** BatchWriteItem takes 25 requests a call and may hand some back unprocessed. */
  private async batchWrite(requests: Record<string, any>[]): Promise<void> {
    for (let i = 0; i < requests.length; i += 25) {
      let pending: Record<string, any>[] | undefined = requests.slice(i, i + 25);
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 10) throw new ConflictError('DynamoDB kept items unprocessed');
        const out: { UnprocessedItems?: Record<string, any[]> } = await this.db.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
        );
        pending = out.UnprocessedItems?.[this.tableName];
      }
    }
  }

  private timestamp(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

function toServiceRecord(item: Record<string, any>): ServiceRecord {
  return {
    name: item.name, generation: Number(item.generation), spec: fromStoredVariables<ServiceSpec>(item.spec),
    revision: Number(item.revision), latestRevision: Number(item.latestRevision),
    ...(item.previousRevision !== undefined ? { previousRevision: Number(item.previousRevision) } : {}),
    paused: Boolean(item.paused), deleting: Boolean(item.deleting),
    createdAt: item.createdAt, updatedAt: item.updatedAt,
  };
}

function toRevisionRecord(item: Record<string, any>): RevisionRecord {
  return {
    revision: Number(item.revision), template: fromStoredVariables<TaskTemplate>(item.template), templateHash: item.templateHash,
    reason: item.reason, createdAt: item.createdAt,
    ...(item.trigger ? { trigger: item.trigger } : {}),
    ...(item.taskDefinitionArn ? { taskDefinitionArn: item.taskDefinitionArn } : {}),
  };
}

/** The spec fields a task template determines, for a rollback's copy into the spec. */
function specFieldsOf(template: TaskTemplate): Partial<ServiceSpec> {
  const { command, port, healthCheck, ...rest } = template;
  return {
    ...rest,
    command, port, healthCheck,
  } as Partial<ServiceSpec>;
}

/** A short, value-free description of a template change for the revision's reason. */
function describeChange(before: TaskTemplate | undefined, after: TaskTemplate): string {
  if (!before) return 'template changed';
  const fields = (Object.keys({ ...before, ...after }) as (keyof TaskTemplate)[])
    .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .sort();
  return fields.length > 0 ? `changed ${fields.join(', ')}` : 'template changed';
}
