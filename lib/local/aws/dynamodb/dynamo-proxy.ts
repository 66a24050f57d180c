import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import type { Clock } from '../../../clock.js';
import type { LocalBus } from '../../bus.js';
import { streamOf, withStreamDescription } from './stream-description.js';
import { type Item, streamRecord } from './stream-records.js';
import { TableLocks } from './table-locks.js';
import { expiryIntervalMs, TimeToLiveSettings } from './time-to-live.js';
import { Transactions } from './transactions.js';
import { singleWritePlan, type SingleWritePlan } from './single-writes.js';
import { asDynamoDbAnswers } from './read-limits.js';
import { type ItemTarget, readTables, writeTargets } from './write-targets.js';

export interface DynamoProxyOptions {
  /** LevelDB directory for dynalite; undefined keeps tables in memory. */
  dataDir?: string;
  clock: Clock;
  bus: LocalBus;
  region: string;
  accountId: string;
}

export interface ProxiedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface TableInfo {
  keyNames: string[];
  streamArn: string;
}

const writeOperations = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const readOperations = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);
const tableChangingOperations = new Set(['CreateTable', 'DeleteTable', 'UpdateTable']);

/**
 * DynamoDB through an embedded dynalite on a private loopback port, plus what dynalite lacks:
 * TransactWriteItems and TransactGetItems (transactions.ts), a NEW_AND_OLD_IMAGES stream record
 * on the bus for every write that changed an item, the item a failed condition saw when a write
 * asks for it (`ReturnValuesOnConditionCheckFailure: ALL_OLD`), and Update/DescribeTimeToLive
 * answers with the expiry itself (items past their TTL are deleted, with a REMOVE stream record).
 * A single-item write takes its images from the write itself (single-writes.ts).
 */
export class DynamoProxy {
  private readonly locks = new TableLocks();
  private readonly tables = new Map<string, TableInfo>();
  private readonly ttl = new TimeToLiveSettings();
  private readonly agent = new http.Agent({ keepAlive: true });
  private readonly transactions: Transactions;
  private sequence = 0n;
  private lastExpiry: number;
  private expiring = false;

  private constructor(
    private readonly server: http.Server,
    private readonly port: number,
    private readonly options: DynamoProxyOptions,
  ) {
    this.lastExpiry = options.clock.now();
    this.transactions = new Transactions({
      locks: this.locks,
      clock: options.clock,
      keyNames: async (table) => (await this.tableInfo(table))?.keyNames,
      call: (operation, payload) => this.call(operation, payload),
      publish: (table, before, after) => this.publish(table, before, after),
    });
  }

  static async start(options: DynamoProxyOptions): Promise<DynamoProxy> {
    if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
    const server = dynalite({ path: options.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new DynamoProxy(server, (server.address() as AddressInfo).port, options);
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  async handle(operation: string, body: string, headers: http.IncomingHttpHeaders): Promise<ProxiedResponse> {
    this.expireIfDue();
    if (operation === 'UpdateTimeToLive' || operation === 'DescribeTimeToLive') return answerOf(200, this.ttl.handle(operation, body));
    const { region, accountId } = this.options;
    if (operation === 'DescribeTable') return withStreamDescription(await this.send(body, headers), 'Table', region, accountId);
    if (tableChangingOperations.has(operation)) {
      const response = await this.send(body, headers);
      this.tables.clear();
      return operation === 'DeleteTable' ? response : withStreamDescription(response, 'TableDescription', region, accountId);
    }
    const isTransaction = operation === 'TransactWriteItems' || operation === 'TransactGetItems';
    if (!isTransaction && !writeOperations.has(operation) && !(readOperations.has(operation) && this.locks.anyHeld)) {
      return readOperations.has(operation) ? this.read(operation, body, headers) : this.send(body, headers);
    }
    const request = parseRequest(body);
    if (request === undefined) return this.send(body, headers);
    if (isTransaction) {
      const answer = operation === 'TransactWriteItems' ? await this.transactions.write(request) : await this.transactions.get(request);
      return answerOf(answer.status, answer.json);
    }
    if (readOperations.has(operation)) {
      // A read of a table a write holds waits for it, so it never sees half a transaction.
      const tables = readTables(operation, request).filter((t) => this.locks.isHeld(t));
      return tables.length === 0 ? this.read(operation, body, headers) : this.locks.withTables(tables, () => this.read(operation, body, headers));
    }
    const writes = await writeTargets(operation, request, async (table) => (await this.tableInfo(table))?.keyNames);
    if (writes === undefined) return this.send(body, headers);
    const plan = writes.length === 1 && operation !== 'BatchWriteItem' ? singleWritePlan(operation, request) : undefined;
    if (plan) return this.locks.withTables([writes[0].table], () => this.writeOne(writes[0], plan, request, headers));
    return this.locks.withTables(
      writes.map((w) => w.table),
      async () => {
        const before = await Promise.all(writes.map((w) => this.getItem(w.table, w.key)));
        const response = await this.send(body, headers);
        if (response.status === 200) {
          const after = await Promise.all(writes.map((w) => this.getItem(w.table, w.key)));
          writes.forEach((write, i) => this.publish(write.table, before[i], after[i]));
          return response;
        }
        return withFailedConditionItem(response, request, before[0]);
      },
    );
  }

  /** A read, answered with DynamoDB's limits where dynalite's differ (read-limits.ts). */
  private async read(operation: string, body: string, headers: http.IncomingHttpHeaders): Promise<ProxiedResponse> {
    const response = await this.send(body, headers);
    const request = response.status === 200 ? parseRequest(body) : undefined;
    if (!request) return response;
    const answer = await asDynamoDbAnswers(operation, request, JSON.parse(response.body) as Record<string, unknown>, (op, payload) => this.call(op, payload));
    if (!answer) return response;
    // The body changed, so dynalite's x-amz-crc32 no longer matches it (the AWS CLI checks it).
    const { 'x-amz-crc32': _crc, ...kept } = response.headers;
    return { status: 200, headers: kept, body: JSON.stringify(answer) };
  }

  /** One PutItem, UpdateItem or DeleteItem with its images from the write itself (single-writes.ts). */
  private async writeOne(write: ItemTarget, plan: SingleWritePlan, request: Record<string, unknown>, headers: http.IncomingHttpHeaders): Promise<ProxiedResponse> {
    const read = plan.readsBefore ? await this.getItem(write.table, write.key) : undefined;
    const response = await this.send(plan.body, headers);
    if (response.status !== 200) {
      const seen = plan.readsBefore || request.ReturnValuesOnConditionCheckFailure !== 'ALL_OLD' ? read : await this.getItem(write.table, write.key);
      return withFailedConditionItem(response, request, seen);
    }
    const { Attributes, ...rest } = JSON.parse(response.body) as { Attributes?: Item } & Record<string, unknown>;
    const { before, after } = plan.images({ Attributes }, read);
    this.publish(write.table, before, after);
    const attributes = plan.attributesFor(before, after);
    // The body changed, so dynalite's x-amz-crc32 no longer matches it (the AWS CLI checks it).
    const { 'x-amz-crc32': _crc, ...kept } = response.headers;
    return { status: 200, headers: kept, body: JSON.stringify(attributes ? { ...rest, Attributes: attributes } : rest) };
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
          await this.handle('DeleteItem', JSON.stringify({
            TableName: table, Key: key, ConditionExpression: '#ttl < :now', ExpressionAttributeNames: expired, ExpressionAttributeValues: before,
          }), internalHeaders('DeleteItem'));
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

  private async getItem(table: string, key: Item): Promise<Item | undefined> {
    const response = await this.call('GetItem', { TableName: table, Key: key, ConsistentRead: true });
    if (response.status !== 200) throw new Error(`reading ${table} for its stream failed: ${JSON.stringify(response.json)}`);
    return (response.json as { Item?: Item }).Item;
  }

  /** An internal request, not counted by the endpoint's stats. */
  private async call(operation: string, payload: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await this.send(JSON.stringify(payload), internalHeaders(operation));
    return { status: response.status, json: JSON.parse(response.body || '{}') as Record<string, unknown> };
  }

  private send(body: string, headers: http.IncomingHttpHeaders): Promise<ProxiedResponse> {
    const forwarded: http.OutgoingHttpHeaders = { ...headers, host: `127.0.0.1:${this.port}`, 'content-length': Buffer.byteLength(body) };
    delete forwarded['transfer-encoding'];
    delete forwarded.connection;
    delete forwarded.expect;
    return new Promise((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port: this.port, method: 'POST', path: '/', headers: forwarded, agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const out: Record<string, string> = {};
            for (const name of ['content-type', 'x-amz-crc32', 'x-amzn-requestid']) {
              const value = response.headers[name];
              if (typeof value === 'string') out[name] = value;
            }
            resolve({ status: response.statusCode ?? 500, headers: out, body: Buffer.concat(chunks).toString() });
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }
}

/** Headers of an internal request; dynalite wants a SigV4-shaped Authorization header but checks no signature. */
function internalHeaders(operation: string): http.IncomingHttpHeaders {
  return {
    'x-amz-target': `DynamoDB_20120810.${operation}`,
    'content-type': 'application/x-amz-json-1.0',
    authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local',
    'x-amz-date': '20260101T000000Z',
  };
}

function parseRequest(body: string): Record<string, unknown> | undefined {
  try {
    const request: unknown = JSON.parse(body);
    return typeof request === 'object' && request !== null ? (request as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function answerOf(status: number, json: unknown): ProxiedResponse {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(json) };
}

/**
 * A single-item write whose condition failed carries the item it saw when the request asked for
 * it with `ReturnValuesOnConditionCheckFailure: ALL_OLD`, as DynamoDB answers (dynalite omits it).
 */
function withFailedConditionItem(response: ProxiedResponse, request: Record<string, unknown>, before: Item | undefined): ProxiedResponse {
  if (request.ReturnValuesOnConditionCheckFailure !== 'ALL_OLD' || before === undefined || !response.body.includes('ConditionalCheckFailedException')) return response;
  const json = JSON.parse(response.body) as Record<string, unknown>;
  // The body changed, so dynalite's x-amz-crc32 no longer matches it (the AWS CLI checks it).
  const { 'x-amz-crc32': _crc, ...headers } = response.headers;
  return { status: response.status, headers, body: JSON.stringify({ ...json, Item: before }) };
}
