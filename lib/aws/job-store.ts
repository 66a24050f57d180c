import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../clock.js';
import type { Lease } from '../core/lease/index.js';
import { defaultTimeZone } from '../core/jobs/index.js';
import type { JobSpec } from '../core/spec/index.js';
import { writeFenced } from './fenced-transaction.js';
import { FencedConditionFailedError } from './lease-errors.js';
import { fencedCondition, fencedWriteRejection, type FencedTarget } from './lease-fence.js';
import { isConditionalCheckFailure } from './condition-failures.js';
import { ConflictError, GenerationMismatchError, NotFoundError } from './store-errors.js';
import { tableSchema } from './table-schema.js';
import { fromStoredVariables, toStoredVariables } from './variable-items.js';
import { listJobPage, runIndex, type ListedJob } from './job-list.js';
import type { Page, PageRequest } from './kind-pages.js';
import { checkIfMatch, queryAll, withGenerationRetry, type WriteOptions } from './generation-writes.js';

/** A job's desired state, as the API wrote it. */
export interface JobRecord {
  name: string;
  /** Increments on every accepted change; the API's ETag. */
  generation: number;
  spec: JobSpec;
  /**
   * Where the schedule counts from (epoch ms): the job's creation, or the last change of its
   * schedule. Rate ticks are anchor + k × period, and no tick at or before it is run.
   */
  scheduleAnchor: number;
  /** DELETE was accepted; the dispatcher stops the job's tasks and then removes it. */
  deleting: boolean;
  createdAt: string;
  updatedAt: string;
}

export type RunStatus = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'TimedOut' | 'Skipped' | 'Missed' | 'Replaced';

/** Statuses of a run whose task may still be starting or running, as far as the record knows. */
export const activeRunStatuses: readonly RunStatus[] = ['Pending', 'Running'];

/**
 * One tick of a job, recorded before its task is started. Times are epoch ms.
 *   Pending  recorded; no task yet (taskArn absent) or the task is not RUNNING yet
 *   Running  the task is RUNNING
 *   Succeeded / Failed  the task stopped by itself (exit code 0 / anything else)
 *   TimedOut / Replaced Corral stopped it (timeoutSeconds / concurrencyPolicy Replace)
 *   Skipped  not started: concurrencyPolicy Forbid and an earlier run was active
 *   Missed   not started: past startingDeadlineSeconds, or an older tick of an outage that
 *            only the newest tick's catch-up run makes up for
 */
export interface JobRun {
  tick: number;
  status: RunStatus;
  /** The job generation the run was started for. */
  generation: number;
  taskDefinitionArn?: string;
  taskArn?: string;
  /** When RunTask created the task; timeouts count from here. */
  startedAt?: number;
  stoppedAt?: number;
  exitCode?: number;
  stoppedReason?: string;
  durationSeconds?: number;
  recordedAt: number;
}

/** Per-job bookkeeping of the dispatcher: the task definition registered for a generation. */
export interface JobDispatchState {
  taskDefinitionGeneration?: number;
  taskDefinitionArn?: string;
}

export type JobWriteOptions = WriteOptions;

/** The dispatcher's pending precise wake-up: the instant it is for, and when its message arrives. */
export interface ArmedWakeUp {
  at: number;
  arrivesAt: number;
}


/** Where a job's items are: its spec is `job#<name>` / `spec` (the table stream filters on it). */
export const jobKeys = {
  prefix: 'job#',
  partition: (name: string) => `job#${name}`,
  /** The job a partition key names, or undefined for another kind of item. */
  jobOf: (partition: string | undefined) => (partition?.startsWith('job#') ? partition.slice('job#'.length) : undefined),
  spec: 'spec',
  dispatch: 'dispatch',
  /** ISO-8601 sorts like the time it names (years 0000–9999), so runs come back in tick order. */
  run: (tick: number) => `run#${new Date(tick).toISOString()}`,
  runPrefix: 'run#',
  /** Not a job's: the one wake-up the dispatcher has armed for all jobs. */
  wakeUp: { pk: 'jobs', sk: 'wake-up' },
};

/**
 * DynamoDB adapter for jobs: the spec (`job#<name>` / `spec`, written by the API with an
 * optimistic generation check), the dispatcher's bookkeeping (`dispatch`) and one item per
 * run (`run#<tick ISO>`).
 *
 * Everything the dispatcher writes is fenced by its lease token (lease-fence.ts). A run is
 * recorded with a put conditional on the item not existing, so whichever dispatcher records a
 * tick first owns it: a retried or concurrent one finds it there and starts nothing.
 */
export class JobStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async getJob(name: string): Promise<JobRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: this.key(name, jobKeys.spec), ConsistentRead: true }),
    );
    return out.Item ? toJobRecord(out.Item) : undefined;
  }

  async listJobs(): Promise<JobRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: tableSchema.kindIndex.name,
      KeyConditionExpression: '#kind = :kind',
      ExpressionAttributeNames: { '#kind': tableSchema.kindIndex.partitionKey },
      ExpressionAttributeValues: { ':kind': 'job' },
    });
    return items.map(toJobRecord);
  }

  /** `GET /jobs`: a page of jobs with their runs, read in two Queries (job-list.ts). */
  async listJobPage(request: PageRequest): Promise<Page<ListedJob>> {
    return listJobPage(this.db, this.tableName, request, { toJobRecord, toJobRun });
  }

  /** Creates or replaces a job spec; a changed schedule re-anchors it at the time of the change. */
  async putJob(name: string, spec: JobSpec, options: JobWriteOptions = {}): Promise<{ record: JobRecord; created: boolean }> {
    return withGenerationRetry(options, async () => {
      const current = await this.getJob(name);
      checkIfMatch(options, current);
      if (current?.deleting) throw new ConflictError(`job ${name} is being deleted`);
      const nowMs = this.clock.now();
      const now = new Date(nowMs).toISOString();
      const record: JobRecord = current
        ? {
            ...current, spec, generation: current.generation + 1, updatedAt: now,
            scheduleAnchor: current.spec.schedule === spec.schedule ? current.scheduleAnchor : nowMs,
          }
        : { name, generation: 1, spec, scheduleAnchor: nowMs, deleting: false, createdAt: now, updatedAt: now };
      await this.commitJob(record, current?.generation);
      return { record, created: current === undefined };
    });
  }

  /** Marks the job for deletion as a new generation; the dispatcher finishes it (removeJob). */
  async markDeleting(name: string, options: JobWriteOptions = {}): Promise<JobRecord> {
    return withGenerationRetry(options, async () => {
      const current = await this.getJob(name);
      if (!current) {
        if (options.ifMatch !== undefined) throw new GenerationMismatchError(options.ifMatch, undefined);
        throw new NotFoundError('job', name);
      }
      checkIfMatch(options, current);
      if (current.deleting) return current;
      const record: JobRecord = {
        ...current, deleting: true, generation: current.generation + 1, updatedAt: new Date(this.clock.now()).toISOString(),
      };
      await this.commitJob(record, current.generation);
      return record;
    });
  }

  /**
   * Removes every item of a job being deleted, under the dispatcher's lease: the runs and the
   * bookkeeping (fenced), then the spec, only while it is still marked deleting.
   */
  async removeJob(lease: Pick<Lease, 'token'>, name: string): Promise<void> {
    for (const run of await this.listRuns(name)) await this.deleteRun(lease, name, run.tick);
    await this.fencedDelete(lease, this.key(name, jobKeys.dispatch));
    try {
      await this.db.send(new DeleteCommand({
        TableName: this.tableName,
        Key: this.key(name, jobKeys.spec),
        ConditionExpression: 'deleting = :true',
        ExpressionAttributeValues: { ':true': true },
      }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async getRun(name: string, tick: number): Promise<JobRun | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: this.key(name, jobKeys.run(tick)), ConsistentRead: true }),
    );
    return out.Item ? toJobRun(out.Item) : undefined;
  }

  /** The job's runs, newest tick first. */
  async listRuns(name: string): Promise<JobRun[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': jobKeys.partition(name), ':prefix': jobKeys.runPrefix },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
    return items.map(toJobRun);
  }

  /**
   * Records a run for its tick unless one is already recorded: 'recorded' when this call wrote
   * it, 'exists' when the tick was taken (by a retry of ours or another dispatcher). One
   * transaction with a ConditionCheck on the lease token (fenced-transaction.ts): a superseded
   * leader is refused with FencedWriteRejectedError even before its successor wrote anything,
   * so a tick's record is created once, under the current leader's fence.
   */
  async recordRun(lease: Pick<Lease, 'name' | 'token'>, name: string, run: JobRun): Promise<'recorded' | 'exists'> {
    const fence = fencedCondition(lease);
    try {
      await writeFenced({ documents: this.db, tableName: this.tableName, lease }, [{
        Put: {
          TableName: this.tableName,
          Item: {
            ...this.key(name, jobKeys.run(run.tick)), ...withoutUndefined(run), ...fence.attributes,
            [tableSchema.kindIndex.partitionKey]: runIndex.kind, [tableSchema.kindIndex.sortKey]: runIndex.name(name, run.tick),
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': tableSchema.partitionKey },
        },
      }]);
      return 'recorded';
    } catch (error) {
      if (error instanceof FencedConditionFailedError) return 'exists';
      throw error;
    }
  }

  /**
   * Applies `changes` to a recorded run under the lease. With `onlyIf`, the change lands only
   * while the run's status is one of those (false otherwise), so an outcome the dispatcher
   * already recorded is never overwritten by a late one.
   */
  async updateRun(
    lease: Pick<Lease, 'token'>,
    name: string,
    tick: number,
    changes: Partial<Omit<JobRun, 'tick'>>,
    onlyIf?: readonly RunStatus[],
  ): Promise<boolean> {
    const fence = fencedCondition(lease);
    const key = this.key(name, jobKeys.run(tick));
    const entries = Object.entries(withoutUndefined(changes));
    const names: Record<string, string> = { '#pk': tableSchema.partitionKey, ...fence.names };
    const values: Record<string, unknown> = { ...fence.values };
    const sets = [fence.set];
    entries.forEach(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      sets.push(`#f${i} = :v${i}`);
    });
    let condition = `attribute_exists(#pk) AND ${fence.condition}`;
    if (onlyIf !== undefined) {
      names['#status'] = 'status';
      onlyIf.forEach((status, i) => (values[`:s${i}`] = status));
      condition += ` AND #status IN (${onlyIf.map((_, i) => `:s${i}`).join(', ')})`;
    }
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }));
      return true;
    } catch (error) {
      const rejection = await fencedWriteRejection(error, lease, this.target(key));
      if (rejection) throw rejection;
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Records what ECS says happened to a run's task (RUNNING, STOPPED with an exit code), from a
   * task state change. Not fenced: it states a fact, decides nothing, and needs no leadership.
   * It lands only while the run is still in one of `onlyIf` and names no other task, so a late
   * or repeated event never overwrites a newer outcome; false when it did not land.
   */
  async recordTaskObservation(
    name: string,
    tick: number,
    taskArn: string,
    changes: Partial<Omit<JobRun, 'tick' | 'taskArn'>>,
    onlyIf: readonly RunStatus[],
  ): Promise<boolean> {
    const entries = Object.entries(withoutUndefined({ ...changes, taskArn }));
    const names: Record<string, string> = { '#pk': tableSchema.partitionKey, '#status': 'status', '#task': 'taskArn' };
    const values: Record<string, unknown> = { ':task': taskArn };
    entries.forEach(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
    });
    onlyIf.forEach((status, i) => (values[`:s${i}`] = status));
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(name, jobKeys.run(tick)),
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ConditionExpression: `attribute_exists(#pk) AND (attribute_not_exists(#task) OR #task = :task) AND #status IN (${onlyIf.map((_, i) => `:s${i}`).join(', ')})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }));
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  /** The wake-up the dispatcher armed last, if any. */
  async armedWakeUp(): Promise<ArmedWakeUp | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: jobKeys.wakeUp, ConsistentRead: true }));
    return out.Item ? { at: Number(out.Item.at), arrivesAt: Number(out.Item.arrivesAt) } : undefined;
  }

  /**
   * Remembers the wake-up just armed. Not fenced: it is a hint that spares duplicate messages;
   * a lost or stale one costs at most a wake-up that finds nothing due, or a run that waits for
   * the one-minute tick.
   */
  async rememberWakeUp(wakeUp: ArmedWakeUp): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...jobKeys.wakeUp, ...wakeUp } }));
  }

  /** Forgets the armed wake-up, when its queue is known to be empty (local mode starting). */
  async forgetWakeUp(): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: jobKeys.wakeUp }));
  }

  /** Deletes a run record under the lease (history pruning). */
  async deleteRun(lease: Pick<Lease, 'token'>, name: string, tick: number): Promise<void> {
    await this.fencedDelete(lease, this.key(name, jobKeys.run(tick)));
  }

  /**
   * Stamps the job's bookkeeping item with the lease token before the dispatcher acts on the
   * job, so a dispatcher holding an older token is refused there from now on (see
   * lease-fence.ts: a new holder writes first). Answers the bookkeeping as stored.
   */
  async claimDispatch(lease: Pick<Lease, 'token'>, name: string): Promise<JobDispatchState> {
    const fence = fencedCondition(lease);
    const key = this.key(name, jobKeys.dispatch);
    try {
      const out = await this.db.send(new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: `SET ${fence.set}, claimedAt = :now`,
        ConditionExpression: fence.condition,
        ExpressionAttributeNames: { ...fence.names },
        ExpressionAttributeValues: { ...fence.values, ':now': this.clock.now() },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }));
      const item = out.Attributes ?? {};
      return {
        ...(item.taskDefinitionGeneration === undefined ? {} : { taskDefinitionGeneration: Number(item.taskDefinitionGeneration) }),
        ...(item.taskDefinitionArn === undefined ? {} : { taskDefinitionArn: String(item.taskDefinitionArn) }),
      };
    } catch (error) {
      throw (await fencedWriteRejection(error, lease, this.target(key))) ?? error;
    }
  }

  /** Remembers the task definition registered for a job generation. */
  async rememberTaskDefinition(lease: Pick<Lease, 'token'>, name: string, generation: number, taskDefinitionArn: string): Promise<void> {
    const fence = fencedCondition(lease);
    const key = this.key(name, jobKeys.dispatch);
    try {
      await this.db.send(new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: `SET ${fence.set}, taskDefinitionGeneration = :generation, taskDefinitionArn = :arn`,
        ConditionExpression: fence.condition,
        ExpressionAttributeNames: { ...fence.names },
        ExpressionAttributeValues: { ...fence.values, ':generation': generation, ':arn': taskDefinitionArn },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }));
    } catch (error) {
      throw (await fencedWriteRejection(error, lease, this.target(key))) ?? error;
    }
  }

  private async fencedDelete(lease: Pick<Lease, 'token'>, key: Record<string, string>): Promise<void> {
    const fence = fencedCondition(lease);
    try {
      await this.db.send(new DeleteCommand({
        TableName: this.tableName,
        Key: key,
        ConditionExpression: fence.condition,
        ExpressionAttributeNames: { ...fence.names },
        ExpressionAttributeValues: { ...fence.values },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }));
    } catch (error) {
      throw (await fencedWriteRejection(error, lease, this.target(key))) ?? error;
    }
  }

  private async commitJob(record: JobRecord, expectedGeneration: number | undefined): Promise<void> {
    const condition = expectedGeneration === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'generation = :expected', ExpressionAttributeValues: { ':expected': expectedGeneration } };
    await this.db.send(new PutCommand({
      TableName: this.tableName,
      Item: { ...this.key(record.name, jobKeys.spec), kind: 'job', ...withoutUndefined(record), spec: toStoredVariables(record.spec) },
      ...condition,
    }));
  }



  private key(name: string, sortKey: string): Record<string, string> {
    return { [tableSchema.partitionKey]: jobKeys.partition(name), [tableSchema.sortKey]: sortKey };
  }

  private target(key: Record<string, string>): FencedTarget {
    return { documents: this.db, tableName: this.tableName, key };
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Specs stored before timeZone existed were UTC. */
function withTimeZone(spec: JobSpec): JobSpec {
  return spec.timeZone === undefined ? { ...spec, timeZone: defaultTimeZone } : spec;
}

function toJobRecord(item: Record<string, unknown>): JobRecord {
  return {
    name: String(item.name),
    generation: Number(item.generation),
    spec: withTimeZone(fromStoredVariables<JobSpec>(item.spec)),
    scheduleAnchor: Number(item.scheduleAnchor),
    deleting: item.deleting === true,
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}

function toJobRun(item: Record<string, unknown>): JobRun {
  const optionalNumber = (field: string) => (item[field] === undefined ? {} : { [field]: Number(item[field]) });
  const optionalString = (field: string) => (item[field] === undefined ? {} : { [field]: String(item[field]) });
  return {
    tick: Number(item.tick),
    status: item.status as RunStatus,
    generation: Number(item.generation),
    recordedAt: Number(item.recordedAt),
    ...optionalString('taskDefinitionArn'),
    ...optionalString('taskArn'),
    ...optionalNumber('startedAt'),
    ...optionalNumber('stoppedAt'),
    ...optionalNumber('exitCode'),
    ...optionalString('stoppedReason'),
    ...optionalNumber('durationSeconds'),
  };
}
