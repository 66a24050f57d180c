import type { Item } from './stream-records.js';

/** One item a request writes (or reads). */
export interface ItemTarget {
  table: string;
  key: Item;
}

type KeyNames = (table: string) => Promise<string[] | undefined>;

/**
 * Which items a PutItem, UpdateItem, DeleteItem or BatchWriteItem touches; undefined when that
 * cannot be told (an unknown table, a key attribute missing: dynalite will reject the request).
 */
export async function writeTargets(operation: string, request: Record<string, unknown>, keyNames: KeyNames): Promise<ItemTarget[] | undefined> {
  const single = async (item: unknown, table: unknown): Promise<ItemTarget | undefined> => {
    if (typeof table !== 'string' || typeof item !== 'object' || item === null) return undefined;
    const names = await keyNames(table);
    if (!names) return undefined;
    const source = item as Item;
    if (!names.every((k) => k in source)) return undefined;
    return { table, key: Object.fromEntries(names.map((k) => [k, source[k]])) };
  };
  if (operation === 'PutItem') return wrap(await single(request.Item, request.TableName));
  if (operation === 'UpdateItem' || operation === 'DeleteItem') return wrap(await single(request.Key, request.TableName));
  const requestItems = request.RequestItems as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]> | undefined;
  if (!requestItems || typeof requestItems !== 'object') return undefined;
  const writes: ItemTarget[] = [];
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

/** The tables a read names (GetItem, Query, Scan: TableName; BatchGetItem: RequestItems). */
export function readTables(operation: string, request: Record<string, unknown>): string[] {
  if (operation === 'BatchGetItem') {
    const items = request.RequestItems;
    return items && typeof items === 'object' ? Object.keys(items) : [];
  }
  return typeof request.TableName === 'string' ? [request.TableName] : [];
}

function wrap<T>(value: T | undefined): T[] | undefined {
  return value === undefined ? undefined : [value];
}
