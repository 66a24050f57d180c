import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Lease } from '../core/lease/lease.js';
import { tableSchema } from './table-schema.js';

/**
 * How a lease is stored: item `lease#<name>` / `lease` (see table-schema.ts).
 *
 * The expiry is kept in `leaseExpiresAt`, not in the table's TTL attribute `expiresAt`: TTL
 * deletes items, and a deleted lease item would restart its token at 1, letting a paused former
 * holder's old token pass every fence again. Lease items are never deleted.
 */
export const leaseAttributes = {
  holder: 'holder',
  token: 'token',
  expiresAt: 'leaseExpiresAt',
  durationMs: 'leaseDurationMs',
} as const;

export function leaseKey(name: string): Record<string, string> {
  return { [tableSchema.partitionKey]: `lease#${name}`, [tableSchema.sortKey]: 'lease' };
}

/** A lease from an item as the document client returns it. */
export function leaseFromItem(name: string, item: Record<string, unknown>): Lease {
  return {
    name,
    holder: String(item[leaseAttributes.holder]),
    token: Number(item[leaseAttributes.token]),
    expiresAt: Number(item[leaseAttributes.expiresAt]),
    durationMs: Number(item[leaseAttributes.durationMs]),
  };
}

/**
 * A lease from the raw item a ConditionalCheckFailedException carries (the document client
 * does not unmarshall error payloads).
 */
export function leaseFromRawItem(name: string, item: Record<string, AttributeValue>): Lease {
  return {
    name,
    holder: item[leaseAttributes.holder]?.S ?? '',
    token: Number(item[leaseAttributes.token]?.N ?? 0),
    expiresAt: Number(item[leaseAttributes.expiresAt]?.N ?? 0),
    durationMs: Number(item[leaseAttributes.durationMs]?.N ?? 0),
  };
}
