import { mkdirSync } from 'node:fs';
import type http from 'node:http';
import type { Clock } from '../../../clock.js';
import type { LocalBus } from '../../bus.js';
import { answerOf, type DynaliteAnswer, EmbeddedDynalite } from './embedded-dynalite.js';
import { ItemLocks, type ItemRef } from './item-locks.js';
import { streamOf, withStreamDescription } from './stream-description.js';
import { type Item, streamRecord } from './stream-records.js';
import { expiryIntervalMs, TimeToLiveSettings } from './time-to-live.js';
import { Transactions } from './transactions.js';
import { asDynamoDbAnswers } from './read-limits.js';

export interface DynamoProxyOptions {
  /** LevelDB directory for dynalite; undefined keeps tables in memory. */
  dataDir?: string;
  clock: Clock;
  bus: LocalBus;
  region: string;
  accountId: string;
}

export type ProxiedResponse = DynaliteAnswer;

interface TableInfo {
  keyNames: string[];
  streamArn: string;
}

const writeOperations = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const tableChangingOperations = new Set(['CreateTable', 'DeleteTable', 'UpdateTable']);

/**
 * DynamoDB over an embedded dynalite (embedded-dynalite.ts: its store and actions in this
 * process), plus what dynalite lacks: TransactWriteItems and TransactGetItems (transactions.ts),
 * a NEW_AND_OLD_IMAGES stream record on the bus for every write that changed an item, the item a
 * failed condition saw when a write asks for it (`ReturnValuesOnConditionCheckFailure: ALL_OLD`),
 * and Update/DescribeTimeToLive answers with the expiry itself (items past their TTL are
 * deleted, with a REMOVE stream record). A write's images are the item as dynalite's action read
 * it under its item lock and as it stored it (store-views.ts): one storage read and one storage
 * write an item. Locks are per item: dynalite's own, which transactions hold while they judge and
 * apply, and BatchGetItem and TransactGetItems while they read.
 */
export class DynamoProxy {
  private readonly tables = new Map<string, TableInfo>();
  private readonly locks = new ItemLocks();
  private readonly ttl = new TimeToLiveSettings();
  private readonly transactions: Transactions;
  private sequence = 0n;
  private lastExpiry: number;
  private expiring = false;

  private constructor(
    private readonly dynalite: EmbeddedDynalite,
    private readonly options: DynamoProxyOptions,
  ) {
    this.lastExpiry = options.clock.now();
    this.transactions = new Transactions({
      dynalite,
      locks: this.locks,
      clock: options.clock,
      keyNames: async (table) => (await this.tableInfo(table))?.keyNames,
      publish: (table, before, after) => this.publish(table, before, after),
    });
  }

  static async start(options: DynamoProxyOptions): Promise<DynamoProxy> {
    if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
    return new DynamoProxy(EmbeddedDynalite.create({ path: options.dataDir }), options);
  }

  close(): Promise<void> {
    return this.dynalite.close();
  }

  async handle(operation: string, body: string, headers: http.IncomingHttpHeaders): Promise<ProxiedResponse> {
    this.expireIfDue();
    if (operation === 'UpdateTimeToLive' || operation === 'DescribeTimeToLive') return jsonAnswer(200, this.ttl.handle(operation, body));
    const isTransaction = operation === 'TransactWriteItems' || operation === 'TransactGetItems';
    if (isTransaction) {
      const request = parseRequest(body);
      if (request !== undefined) {
        const answer = operation === 'TransactWriteItems' ? await this.transactions.write(request) : await this.transactions.get(request);
        return jsonAnswer(answer.status, answer.json);
      }
    }
    const checked = this.dynalite.check(operation, body, headers);
    if ('answer' in checked) return checked.answer;
    const { data, contentType } = checked;
    const { region, accountId } = this.options;
    if (operation === 'DescribeTable') return withStreamDescription(await this.answer(operation, data, contentType), 'Table', region, accountId);
    if (tableChangingOperations.has(operation)) {
      const response = await this.answer(operation, data, contentType);
      this.tables.clear();
      return operation === 'DeleteTable' ? response : withStreamDescription(response, 'TableDescription', region, accountId);
    }
    if (operation === 'BatchGetItem') return this.batchGet(body, data, contentType);
    if (writeOperations.has(operation)) return this.write(operation, data, contentType, asksForOldItem(body));
    // Taken before any await: a read waits for the writes that reached the endpoint before it.
    const earlierWrites = operation === 'GetItem'
      ? this.locks.itemsSettled(this.refsOf(data.TableName, [data.Key]) ?? [])
      : operation === 'Query' || operation === 'Scan' ? this.locks.tableSettled(String(data.TableName)) : undefined;
    if (earlierWrites) await earlierWrites;
    return this.answer(operation, data, contentType);
  }

  /**
   * The items named by key-bearing `sources` (an Item or a Key) of `table`, or undefined when
   * that cannot be told: an unknown table, a key attribute missing (dynalite will refuse the
   * request). Synchronous once the table is known, so a lock is taken in arrival order.
   */
  private refsOf(table: unknown, sources: readonly unknown[]): ItemRef[] | undefined {
    const keyNames = typeof table === 'string' ? this.tables.get(table)?.keyNames : undefined;
    if (!keyNames) return undefined;
    const refs: ItemRef[] = [];
    for (const source of sources) {
      if (typeof source !== 'object' || source === null || !keyNames.every((k) => k in source)) return undefined;
      refs.push({ table: table as string, key: Object.fromEntries(keyNames.map((k) => [k, (source as Item)[k]])) });
    }
    return refs;
  }

  /** The items a PutItem, UpdateItem, DeleteItem, BatchWriteItem or BatchGetItem names. */
  private async requestRefs(operation: string, data: Record<string, unknown>): Promise<ItemRef[] | undefined> {
    if (operation === 'PutItem' || operation === 'UpdateItem' || operation === 'DeleteItem') {
      if (typeof data.TableName === 'string' && !this.tables.has(data.TableName)) await this.tableInfo(data.TableName);
      return this.refsOf(data.TableName, [operation === 'PutItem' ? data.Item : data.Key]);
    }
    const requestItems = data.RequestItems;
    if (typeof requestItems !== 'object' || requestItems === null) return undefined;
    const refs: ItemRef[] = [];
    for (const [table, entry] of Object.entries(requestItems as Record<string, unknown>)) {
      if (!this.tables.has(table)) await this.tableInfo(table);
      const sources = operation === 'BatchGetItem'
        ? (entry as { Keys?: unknown })?.Keys
        : Array.isArray(entry) ? entry.map((e: { PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } }) => e?.PutRequest?.Item ?? e?.DeleteRequest?.Key) : undefined;
      const tableRefs = Array.isArray(sources) ? this.refsOf(table, sources) : undefined;
      if (!tableRefs) return undefined;
      refs.push(...tableRefs);
    }
    return refs;
  }

  private async answer(operation: string, data: Record<string, unknown>, contentType: string): Promise<ProxiedResponse> {
    const result = await this.dynalite.call(operation, data);
    return answerOf(result.status, result.json, contentType);
  }

  /**
   * A BatchGetItem, with DynamoDB's limits where dynalite's differ (read-limits.ts), holding its
   * items' locks so it never sees half a transaction.
   */
  private async batchGet(body: string, data: Record<string, unknown>, contentType: string): Promise<ProxiedResponse> {
    const request = parseRequest(body) ?? {};
    const refs = await this.requestRefs('BatchGetItem', data);
    const release = refs ? await this.locks.lock(refs) : () => undefined;
    try {
      const result = await this.dynalite.call('BatchGetItem', data);
      if (result.status !== 200) return answerOf(result.status, result.json, contentType);
      const answer = await asDynamoDbAnswers('BatchGetItem', request, result.json, (op, payload) => this.call(op, payload));
      const response = answerOf(200, answer ?? result.json, contentType);
      if (!answer) return response;
      // The answer is not dynalite's, so its x-amz-crc32 would not be dynalite's either (the AWS CLI checks it).
      const { 'x-amz-crc32': _crc, ...kept } = response.headers;
      return { ...response, headers: kept };
    } finally {
      release();
    }
  }

  /** A PutItem, UpdateItem, DeleteItem or BatchWriteItem, with a stream record for each item it changed. */
  private async write(operation: string, data: Record<string, unknown>, contentType: string, asksOldItem: boolean): Promise<ProxiedResponse> {
    // The tables are known (requestRefs) before the write, so its stream records go out as soon as it is done, in write order.
    const refs = await this.requestRefs(operation, data);
    const release = refs ? await this.locks.lock(refs) : () => undefined;
    let result;
    try {
      result = await this.dynalite.call(operation, data);
      for (const change of result.changes) this.publish(change.table, change.before, change.after);
    } finally {
      release();
    }
    const response = answerOf(result.status, result.json, contentType);
    const seen = [...result.images.values()][0]?.before;
    if (!asksOldItem || result.status === 200 || seen === undefined || !String(result.json.__type).endsWith('ConditionalCheckFailedException')) return response;
    // DynamoDB answers the item a failed condition saw when asked (dynalite omits it), so the
    // answer is not dynalite's and neither would its x-amz-crc32 be (the AWS CLI checks it).
    const answer = answerOf(result.status, { ...result.json, Item: seen }, contentType);
    const { 'x-amz-crc32': _crc, ...kept } = answer.headers;
    return { ...answer, headers: kept };
  }

  /** At most once a minute of clock time, deletes what TTL expired (see time-to-live.ts). */
  private expireIfDue(): void {
    const now = this.options.clock.now();
    if (this.expiring || now - this.lastExpiry < expiryIntervalMs) return;
    this.lastExpiry = now;
    this.expiring = true;
    void this.options.bus.track(this.expire(now).finally(() => (this.expiring = false)));
  }

  /**
   * Deletes the items whose TTL attribute is before `now`, each through the ordinary write path
   * (so the stream gets its REMOVE record) and on condition it is still expired, so an item
   * rewritten meanwhile stays.
   */
  private async expire(now: number): Promise<void> {
    for (const { table, attribute } of this.ttl.enabled()) {
      const keyNames = (await this.tableInfo(table))?.keyNames;
      if (!keyNames) continue;
      const expired = { '#ttl': attribute };
      const before = { ':now': { N: String(Math.floor(now / 1000)) } };
      let start: Item | undefined;
      do {
        const scanned = await this.call('Scan', {
          TableName: table, FilterExpression: '#ttl < :now', ExpressionAttributeNames: expired, ExpressionAttributeValues: before,
          ...(start ? { ExclusiveStartKey: start } : {}),
        });
        if (scanned.status !== 200) return;
        const page = scanned.json as { Items?: Item[]; LastEvaluatedKey?: Item };
        for (const item of page.Items ?? []) {
          const key = Object.fromEntries(keyNames.map((k) => [k, item[k]]));
          await this.expireItem({
            TableName: table, Key: key, ConditionExpression: '#ttl < :now', ExpressionAttributeNames: expired, ExpressionAttributeValues: before,
          });
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }
  }

  private publish(table: string, before: Item | undefined, after: Item | undefined): void {
    const info = this.tables.get(table);
    if (!info) return;
    this.sequence++;
    const record = streamRecord(before, after, {
      region: this.options.region,
      streamArn: info.streamArn,
      keyNames: info.keyNames,
      now: this.options.clock.now(),
      // 21-digit, strictly increasing, like DynamoDB's sequence numbers.
      sequenceNumber: (10n ** 20n + this.sequence).toString(),
    });
    if (record) this.options.bus.publishStreamRecord(table, record);
  }

  private async tableInfo(table: string): Promise<TableInfo | undefined> {
    const known = this.tables.get(table);
    if (known) return known;
    const described = await this.call('DescribeTable', { TableName: table });
    if (described.status !== 200) return undefined;
    const description = (described.json as { Table: { KeySchema: { AttributeName: string }[]; CreationDateTime: number; TableArn: string } }).Table;
    const info: TableInfo = {
      keyNames: description.KeySchema.map((k) => k.AttributeName),
      streamArn: streamOf(this.options.region, this.options.accountId, table, description.CreationDateTime).arn,
    };
    this.tables.set(table, info);
    return info;
  }

  /** One TTL deletion, through the ordinary write path: its stream record is a REMOVE. */
  private async expireItem(request: Record<string, unknown>): Promise<void> {
    await this.write('DeleteItem', request, 'application/x-amz-json-1.0', false);
  }

  /** An internal request, not counted by the endpoint's stats. */
  private async call(operation: string, payload: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const { status, json } = await this.dynalite.call(operation, payload as Record<string, unknown>);
    return { status, json };
  }
}

function parseRequest(body: string): Record<string, unknown> | undefined {
  try {
    const request: unknown = JSON.parse(body);
    return typeof request === 'object' && request !== null ? (request as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a write asks for the item a failed condition saw (`ReturnValuesOnConditionCheckFailure: ALL_OLD`). */
function asksForOldItem(body: string): boolean {
  return body.includes('ReturnValuesOnConditionCheckFailure') && parseRequest(body)?.ReturnValuesOnConditionCheckFailure === 'ALL_OLD';
}

function jsonAnswer(status: number, json: unknown): ProxiedResponse {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(json) };
}
