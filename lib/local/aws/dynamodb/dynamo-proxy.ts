import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import type { Clock } from '../../../clock.js';
import type { LocalBus } from '../../bus.js';
import { type Item, streamRecord } from './stream-records.js';
import { TableLocks } from './table-locks.js';

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
const tableChangingOperations = new Set(['CreateTable', 'DeleteTable', 'UpdateTable']);

/**
 * DynamoDB through an embedded dynalite on a private loopback port, plus what dynalite lacks:
 * a NEW_AND_OLD_IMAGES stream record on the bus for every write that changed an item, and
 * Update/DescribeTimeToLive answers (the TTL setting is remembered; items do not expire).
 */
export class DynamoProxy {
  private readonly locks = new TableLocks();
  private readonly tables = new Map<string, TableInfo>();
  private readonly ttl = new Map<string, { AttributeName: string; Enabled: boolean }>();
  private readonly agent = new http.Agent({ keepAlive: true });
  private sequence = 0n;

  private constructor(
    private readonly server: http.Server,
    private readonly port: number,
    private readonly options: DynamoProxyOptions,
  ) {}

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
    if (operation === 'UpdateTimeToLive' || operation === 'DescribeTimeToLive') return this.timeToLive(operation, body);
    if (tableChangingOperations.has(operation)) {
      const response = await this.send(body, headers);
      this.tables.clear();
      return response;
    }
    if (!writeOperations.has(operation)) return this.send(body, headers);
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return this.send(body, headers);
    }
    const writes = await this.describeWrites(operation, request);
    if (writes === undefined) return this.send(body, headers);
    return this.locks.withTables(
      writes.map((w) => w.table),
      async () => {
        const before = await Promise.all(writes.map((w) => this.getItem(w.table, w.key)));
        const response = await this.send(body, headers);
        if (response.status === 200) {
          const after = await Promise.all(writes.map((w) => this.getItem(w.table, w.key)));
          writes.forEach((write, i) => this.publish(write.table, before[i], after[i]));
        }
        return response;
      },
    );
  }

  /** Which items a write touches; undefined when that cannot be told (dynalite will reject it). */
  private async describeWrites(operation: string, request: Record<string, unknown>): Promise<{ table: string; key: Item }[] | undefined> {
    const single = async (item: unknown, table: unknown): Promise<{ table: string; key: Item } | undefined> => {
      if (typeof table !== 'string' || typeof item !== 'object' || item === null) return undefined;
      const info = await this.tableInfo(table);
      if (!info) return undefined;
      const source = item as Item;
      if (!info.keyNames.every((k) => k in source)) return undefined;
      return { table, key: Object.fromEntries(info.keyNames.map((k) => [k, source[k]])) };
    };
    if (operation === 'PutItem') return wrap(await single(request.Item, request.TableName));
    if (operation === 'UpdateItem' || operation === 'DeleteItem') return wrap(await single(request.Key, request.TableName));
    const requestItems = request.RequestItems as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]> | undefined;
    if (!requestItems || typeof requestItems !== 'object') return undefined;
    const writes: { table: string; key: Item }[] = [];
    for (const [table, entries] of Object.entries(requestItems)) {
      if (!Array.isArray(entries)) return undefined;
      for (const entry of entries) {
        const write = await single(entry?.PutRequest?.Item ?? entry?.DeleteRequest?.Key, table);
        if (!write) return undefined;
        writes.push(write);
      }
    }
    return writes;
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
    const label = new Date(description.CreationDateTime * 1000).toISOString().replace('Z', '');
    const info: TableInfo = {
      keyNames: description.KeySchema.map((k) => k.AttributeName),
      streamArn: `arn:aws:dynamodb:${this.options.region}:${this.options.accountId}:table/${table}/stream/${label}`,
    };
    this.tables.set(table, info);
    return info;
  }

  private async getItem(table: string, key: Item): Promise<Item | undefined> {
    const response = await this.call('GetItem', { TableName: table, Key: key, ConsistentRead: true });
    if (response.status !== 200) throw new Error(`reading ${table} for its stream failed: ${response.body}`);
    return (response.json as { Item?: Item }).Item;
  }

  private timeToLive(operation: string, body: string): ProxiedResponse {
    const request = JSON.parse(body || '{}') as { TableName?: string; TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean } };
    const table = request.TableName ?? '';
    if (operation === 'UpdateTimeToLive' && request.TimeToLiveSpecification) this.ttl.set(table, request.TimeToLiveSpecification);
    const spec = this.ttl.get(table);
    const json =
      operation === 'UpdateTimeToLive'
        ? { TimeToLiveSpecification: request.TimeToLiveSpecification }
        : { TimeToLiveDescription: spec?.Enabled ? { TimeToLiveStatus: 'ENABLED', AttributeName: spec.AttributeName } : { TimeToLiveStatus: 'DISABLED' } };
    return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(json) };
  }

  /** An internal request; dynalite wants a SigV4-shaped Authorization header but checks no signature. */
  private async call(operation: string, payload: unknown): Promise<ProxiedResponse & { json: unknown }> {
    const response = await this.send(JSON.stringify(payload), {
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      'content-type': 'application/x-amz-json-1.0',
      authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local',
      'x-amz-date': '20260101T000000Z',
    });
    return { ...response, json: JSON.parse(response.body || '{}') };
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

function wrap<T>(value: T | undefined): T[] | undefined {
  return value === undefined ? undefined : [value];
}
