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
}

declare module 'dynalite/db/index.js' {
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
