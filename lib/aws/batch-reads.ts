import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableSchema } from './table-schema.js';
import { StoreError } from './store-errors.js';

/** BatchGetItem takes at most 100 keys a call (and answers at most 16 MB). */
export const batchGetKeysPerCall = 100;

/** Attempts at the keys DynamoDB handed back unprocessed (throttling, the 16 MB answer limit). */
const maxAttempts = 8;

type Key = Record<string, string>;

/** DynamoDB kept handing keys back unprocessed; a retryable failure, not the caller's fault. */
export class UnprocessedKeysError extends StoreError {
  constructor(readonly keys: number) {
    super(`DynamoDB left ${keys} keys unprocessed after ${maxAttempts} attempts`);
    this.name = 'UnprocessedKeysError';
  }
}

/**
 * The items stored under `keys` (absent ones are left out), in ceil(keys / 100) BatchGetItem
 * calls when nothing comes back unprocessed. Unprocessed keys are asked for again after an
 * exponential backoff (20 ms, 40 ms, ... as AWS recommends), so a partial answer costs one more
 * call per retry, never one call per key.
 */
export async function batchGetItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  { consistent = true }: { consistent?: boolean } = {},
): Promise<Record<string, any>[]> {
  const chunks: Key[][] = [];
  for (let i = 0; i < keys.length; i += batchGetKeysPerCall) chunks.push(keys.slice(i, i + batchGetKeysPerCall));
  const answers = await Promise.all(chunks.map((chunk) => batchGetChunk(db, tableName, chunk, consistent)));
  return answers.flat();
}

async function batchGetChunk(db: DynamoDBDocumentClient, tableName: string, keys: Key[], consistent: boolean): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let pending: Key[] = keys;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= maxAttempts) throw new UnprocessedKeysError(pending.length);
    if (attempt > 0) await sleep(20 * 2 ** (attempt - 1));
    const out = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistent } } }));
    items.push(...(out.Responses?.[tableName] ?? []));
    pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
  }
  return items;
}

/** `pk#sk` of an item, to match BatchGetItem's answers (in no particular order) to their keys. */
export function keyString(item: Record<string, unknown>): string {
  return `${String(item[tableSchema.partitionKey])}\u0000${String(item[tableSchema.sortKey])}`;
}
