import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../clock.js';
import { queryAll } from '../generation-writes.js';
import { ConflictError } from '../store-errors.js';
import { itemKey, serviceKeys } from './keys.js';
import {
  eventRetentionSeconds,
  toRevisionRecord,
  toServiceEvent,
  toStatusRecord,
  type NewServiceEvent,
  type RevisionRecord,
  type ServiceEvent,
  type StatusRecord,
} from './records.js';

/** An event item as stored: sort key by time, expiring through the table's TTL. */
export function eventItem(name: string, event: NewServiceEvent, nowMs: number, index: number): Record<string, unknown> {
  const time = new Date(nowMs).toISOString();
  return {
    ...itemKey(serviceKeys.partition(name), serviceKeys.event(time, index, randomUUID())),
    ...event, time, expiresAt: Math.floor(nowMs / 1000) + eventRetentionSeconds,
  };
}

/** Reads of revision, status and event items, and events the API and rotation add. */
export class DynamoServiceHistory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async getRevision(name: string, revision: number): Promise<RevisionRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKey(serviceKeys.partition(name), serviceKeys.revision(revision)), ConsistentRead: true }));
    return out.Item ? toRevisionRecord(out.Item) : undefined;
  }

  async listRevisions(name: string): Promise<RevisionRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': serviceKeys.partition(name), ':prefix': serviceKeys.revisionPrefix },
      ConsistentRead: true,
    });
    return items.map(toRevisionRecord);
  }

  async getStatus(name: string): Promise<StatusRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKey(serviceKeys.partition(name), serviceKeys.status), ConsistentRead: true }));
    return out.Item ? toStatusRecord(out.Item) : undefined;
  }

  /** Events from outside a reconcile (a rollback request, a rotation); BatchWriteItem takes 25 a call. */
  async appendEvents(name: string, events: NewServiceEvent[]): Promise<void> {
    const nowMs = this.clock.now();
    await batchWrite(this.db, this.tableName, events.map((event, index) => ({ PutRequest: { Item: eventItem(name, event, nowMs, index) } })));
  }

  /** Recent events, newest first. */
  async listEvents(name: string, limit = 50): Promise<ServiceEvent[]> {
    const out = await this.db.send(new QueryCommand({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'expiresAt > :now',
      ExpressionAttributeValues: { ':pk': serviceKeys.partition(name), ':prefix': serviceKeys.eventPrefix, ':now': Math.floor(this.clock.now() / 1000) },
      ScanIndexForward: false,
      Limit: limit,
    }));
    return (out.Items ?? []).map(toServiceEvent);
  }
}

/** BatchWriteItem takes 25 requests a call and may hand some back unprocessed. */
export async function batchWrite(db: DynamoDBDocumentClient, tableName: string, requests: Record<string, any>[]): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: Record<string, any>[] | undefined = requests.slice(i, i + 25);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 10) throw new ConflictError('DynamoDB kept items unprocessed');
      const out: { UnprocessedItems?: Record<string, any[]> } = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = out.UnprocessedItems?.[tableName];
    }
  }
}
