import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../clock.js';
import type { Lease } from '../../core/lease/index.js';
import type { ServiceStatus } from '../../core/planner/index.js';
import { isConditionFailure } from '../condition-failures.js';
import { maxFencedActions, writeFenced, writeFencedAndRelease, type LeaseAfterCommit, type TransactionAction } from '../fenced-transaction.js';
import { queryAll } from '../generation-writes.js';
import { batchGetItems } from '../batch-reads.js';
import { itemKey, serviceKeys } from './keys.js';
import type { PlanningDigest } from './planning-digest.js';
import { toRevisionRecord, toServiceRecord, toStatusRecord, type NewServiceEvent, type RevisionRecord, type ServiceRecord } from './records.js';
import { batchWrite, eventItem } from './service-history.js';

/** Everything a reconcile reads about one service, from one consistent Query. */
export interface ServicePartition {
  record: ServiceRecord;
  status?: ServiceStatus;
  /** What the last commit of a status planned from (see planning-digest.ts). */
  planning?: PlanningDigest;
  /**
   * The service's task ARNs as of the last commit of a status, each with when it became known
   * (epoch ms). Complete unless the lease's last holder did not finish (AcquiredLease
   * `predecessorFinished`): it may have started tasks it never recorded.
   */
  knownTasks?: KnownTasks;
  revisions: RevisionRecord[];
}

/** Task ARN → when a reconcile first knew it (epoch ms). */
export type KnownTasks = Record<string, number>;

/** A status item as the sweep reads it, many at once. */
export interface StoredStatus {
  status: ServiceStatus;
  planning?: PlanningDigest;
  knownTasks?: KnownTasks;
}

/** Everything a reconcile writes, in one fenced transaction. */
export interface ReconcileWrite {
  /** The new status; absent when it did not change. */
  status?: ServiceStatus;
  /** Stored with `status` (and only with it): what this reconcile planned from. */
  planning?: PlanningDigest;
  /** Stored with `status` (and only with it): every task ARN the service has, including the ones just started. */
  knownTasks?: KnownTasks;
  events: NewServiceEvent[];
  /** Task definitions registered for revisions during this reconcile. */
  taskDefinitions: { revision: number; arn: string }[];
  /** Revisions that just became fully available (first time). */
  availableRevisions: number[];
  /** Revisions to delete (the plan's `prune`). */
  prune: number[];
}

/**
 * The reconciler's side of the state store: one consistent Query of the service's partition
 * (from `revision#`, so revisions, spec and status but no events), and one TransactWriteItems
 * that carries a ConditionCheck on the lease token (`writeFenced`), so a reconciler whose lease
 * was taken over is refused on every item, including ones its successor never wrote.
 */
export class DynamoReconcileState {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async readPartition(name: string): Promise<ServicePartition | undefined> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk >= :from',
      ExpressionAttributeValues: { ':pk': serviceKeys.partition(name), ':from': serviceKeys.revisionPrefix },
      ConsistentRead: true,
    });
    const spec = items.find((i) => i.sk === serviceKeys.spec);
    if (!spec) return undefined;
    const status = items.find((i) => i.sk === serviceKeys.status);
    return {
      record: toServiceRecord(spec),
      ...(status ? { status: toStatusRecord(status).status } : {}),
      ...(status?.planning ? { planning: status.planning as PlanningDigest } : {}),
      ...(status?.knownTasks ? { knownTasks: status.knownTasks as KnownTasks } : {}),
      revisions: items.filter((i) => String(i.sk).startsWith(serviceKeys.revisionPrefix)).map(toRevisionRecord),
    };
  }

  /**
   * The status items of `names` (absent ones left out): BatchGetItem, 100 keys a call, eventually
   * consistent — the sweep plans from these only to decide which services to look at under their
   * lease, where the partition is read again consistently.
   */
  async readStatuses(names: readonly string[]): Promise<Map<string, StoredStatus>> {
    const keys = names.map((name) => itemKey(serviceKeys.partition(name), serviceKeys.status));
    const found = new Map<string, StoredStatus>();
    for (const item of await batchGetItems(this.db, this.tableName, keys, { consistent: false })) {
      const name = serviceKeys.serviceOf(String(item.pk));
      if (name === undefined) continue;
      found.set(name, {
        status: toStatusRecord(item).status,
        ...(item.planning ? { planning: item.planning as PlanningDigest } : {}),
        ...(item.knownTasks ? { knownTasks: item.knownTasks as KnownTasks } : {}),
      });
    }
    return found;
  }

  /**
   * Writes `write` under `lease`, or nothing at all; no call when there is nothing to write.
   * With `release`, the same transaction releases the lease unless a pass was asked for, and
   * takes that pass otherwise (`writeFencedAndRelease`); 'held' when it did neither (nothing
   * written, or no `release`): the lease is still held and no pass taken.
   */
  async commit(name: string, write: ReconcileWrite, lease: Pick<Lease, 'name' | 'token' | 'holder'>, options: { release?: boolean } = {}): Promise<LeaseAfterCommit | 'held'> {
    const actions = this.actionsOf(name, write);
    if (actions.length === 0) return 'held';
    const target = { documents: this.db, tableName: this.tableName, lease };
    if (options.release) return writeFencedAndRelease(target, actions);
    await writeFenced(target, actions);
    return 'held';
  }

  /** Removes every item of a deleted service; the spec item goes last, and only while deleting. */
  async removeService(name: string): Promise<void> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': serviceKeys.partition(name) },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    await batchWrite(this.db, this.tableName, items.filter((i) => i.sk !== serviceKeys.spec).map((i) => ({ DeleteRequest: { Key: { pk: i.pk, sk: i.sk } } })));
    try {
      await this.db.send(new DeleteCommand({
        TableName: this.tableName,
        Key: itemKey(serviceKeys.partition(name), serviceKeys.spec),
        ConditionExpression: 'deleting = :true',
        ExpressionAttributeValues: { ':true': true },
      }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  private actionsOf(name: string, write: ReconcileWrite): TransactionAction[] {
    const partition = serviceKeys.partition(name);
    const table = this.tableName;
    const nowMs = this.clock.now();
    const now = new Date(nowMs).toISOString();
    const bookkeeping: TransactionAction[] = [];
    if (write.status) {
      bookkeeping.push({ Put: { TableName: table, Item: { ...itemKey(partition, serviceKeys.status), status: write.status, ...(write.planning ? { planning: write.planning } : {}), ...(write.knownTasks ? { knownTasks: write.knownTasks } : {}), updatedAt: now } } });
    }
    const revisionUpdate = (revision: number, set: string, values: Record<string, unknown>): TransactionAction => ({
      Update: {
        TableName: table,
        Key: itemKey(partition, serviceKeys.revision(revision)),
        UpdateExpression: `SET ${set}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: values,
      },
    });
    const updated = new Set<number>();
    for (const { revision, arn } of write.taskDefinitions) {
      updated.add(revision);
      const available = write.availableRevisions.includes(revision);
      bookkeeping.push(revisionUpdate(revision, available ? 'taskDefinitionArn = :arn, availableAt = :at' : 'taskDefinitionArn = :arn', available ? { ':arn': arn, ':at': now } : { ':arn': arn }));
    }
    for (const revision of write.availableRevisions) {
      if (!updated.has(revision)) bookkeeping.push(revisionUpdate(revision, 'availableAt = :at', { ':at': now }));
    }
    for (const revision of write.prune) bookkeeping.push({ Delete: { TableName: table, Key: itemKey(partition, serviceKeys.revision(revision)) } });
    return [...bookkeeping, ...this.eventActions(name, write.events, maxFencedActions - bookkeeping.length, nowMs)];
  }

  /** Events fill what the transaction has left; beyond that, one event says how many were dropped. */
  private eventActions(name: string, events: NewServiceEvent[], room: number, nowMs: number): TransactionAction[] {
    const kept = events.length <= room ? events : [
      ...events.slice(0, Math.max(0, room - 1)),
      { type: events[room - 1].type, message: `… and ${events.length - room + 1} more events of this reconcile` },
    ];
    return kept.map((event, index) => ({ Put: { TableName: this.tableName, Item: eventItem(name, event, nowMs, index) } }));
  }
}
