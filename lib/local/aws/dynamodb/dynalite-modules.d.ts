// dynalite ships no type declarations; this covers the part Corral uses.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** How long tables stay CREATING / DELETING / UPDATING (default 500 ms each). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    /** LevelDB directory; in memory when absent. */
    path?: string;
    verbose?: boolean;
    debug?: boolean;
  }

  export default function dynalite(options?: DynaliteOptions): Server;
}

// dynalite's request validation and condition evaluation, which the proxy reuses for the
// operations dynalite lacks (transactions): the same parser, so the same expressions pass or fail.
declare module 'dynalite/validations/index.js' {
  export function checkTypes(data: Record<string, unknown>, types: Record<string, unknown>): Record<string, unknown>;
  export function checkValidations(
    data: Record<string, unknown>,
    types: Record<string, unknown>,
    custom: (data: Record<string, unknown>, store: unknown) => string | undefined,
    store: unknown,
  ): void;
  /** "PutItem" -> "putItem": the file names of dynalite's actions and validations. */
  export function toLowerFirst(name: string): string;
}

declare module 'dynalite/db/index.js' {
  /** A sub-database of the store: items of one table, or one index, under a key prefix. */
  export interface SubDb {
    get(key: string, callback: (error: Error | null, value?: Record<string, unknown>) => void): void;
    put(key: string, value: unknown, callback: (error: Error | null) => void): void;
    del(key: string, callback: (error: Error | null) => void): void;
    /** dynalite's per-key lock (the `lock` package): an array locks every key at once. */
    lock(keys: string | string[], exec: (release: (done: () => void) => () => void) => void): void;
  }
  export interface TableDescription {
    TableName: string;
    KeySchema: { AttributeName: string; KeyType: string }[];
  }
  export interface BatchOperation {
    type: 'put' | 'del';
    key: string;
    value?: unknown;
  }
  /** What `create` answers: the LevelDB store every action runs against. */
  export interface Store {
    options: { maxItemSize: number };
    db: { batch(operations: BatchOperation[], callback: (error: Error | null) => void): void };
    getItemDb(table: string): SubDb;
    getIndexDb(indexType: string, table: string, index: string): SubDb;
    getTable(table: string, checkStatus: boolean, callback: (error: (Error & { statusCode?: number; body?: Record<string, unknown> }) | null, table?: TableDescription) => void): void;
    lifecycleManager: { gracefulClose(callback: (error?: Error | null) => void): void };
  }
  export function create(options: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }): Store;
  /** An error with a 400 ValidationException body, or null when the key fits the table's schema. */
  export function validateKey(key: Record<string, unknown>, table: TableDescription): (Error & { statusCode: number; body: unknown }) | null | undefined;
  /** The store key of an item (its key attributes encoded in sort order). */
  export function createKey(key: Record<string, unknown>, table: TableDescription): string;
  /** A ConditionalCheckFailedException-shaped error when the condition is false, else null. */
  export function checkConditional(data: Record<string, unknown>, existingItem: Record<string, unknown> | undefined): Error | null | undefined;
  /** An item's size in bytes as DynamoDB counts it (attribute names plus values). */
  export function itemSize(item: Record<string, unknown>): number;
}

declare module 'dynalite/validations/putItem.js' {
  export const types: Record<string, unknown>;
  export function custom(data: Record<string, unknown>, store: unknown): string | undefined;
}
declare module 'dynalite/validations/updateItem.js' {
  export const types: Record<string, unknown>;
  export function custom(data: Record<string, unknown>, store: unknown): string | undefined;
}
declare module 'dynalite/validations/deleteItem.js' {
  export const types: Record<string, unknown>;
  export function custom(data: Record<string, unknown>, store: unknown): string | undefined;
}
