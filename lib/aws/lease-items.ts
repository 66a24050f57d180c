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
  /** "Look again when you are done" (PendingPasses in lease-store.ts). */
  pendingPass: 'pendingPass',
  /**
   * The token of the last holder that released the lease with its work finished and recorded.
   * Expiry and a release after a failure leave it behind, so the next holder can tell a clean
   * handover (`finishedToken` = its own token - 1) from one where work may be half done.
   */
  finishedToken: 'finishedToken',
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
 * Whether the holder before `item`'s (just acquired) finished: the previous token released with
 * its work recorded, or no previous token at all (token 1: nobody held the lease before).
 */
export function predecessorFinished(item: Record<string, unknown>): boolean {
  const token = Number(item[leaseAttributes.token]);
  return token === 1 || Number(item[leaseAttributes.finishedToken]) === token - 1;
}

/** A conditional UpdateItem of the lease item, without table and key. */
export interface LeaseItemUpdate {
  readonly UpdateExpression: string;
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues: Record<string, unknown>;
}

const heldByNames = { '#holder': leaseAttributes.holder, '#token': leaseAttributes.token, '#pending': leaseAttributes.pendingPass };
const heldBy = '#holder = :holder AND #token = :token';

/**
 * Frees the lease at once with the holder's work finished (expiry 0, `finishedToken` = its token),
 * unless a pass was asked for: one condition, so no ask can fall between a last look at the mark
 * and the release. Holder and token stay, so the next acquisition still issues a larger token.
 * The lease store sends it alone; a reconcile's commit carries it in its transaction.
 */
export function releaseUnlessPendingUpdate(lease: Pick<Lease, 'holder' | 'token'>): LeaseItemUpdate {
  return {
    UpdateExpression: 'SET #expiresAt = :zero, #finished = :token',
    ConditionExpression: `${heldBy} AND attribute_not_exists(#pending)`,
    ExpressionAttributeNames: { ...heldByNames, '#expiresAt': leaseAttributes.expiresAt, '#finished': leaseAttributes.finishedToken },
    ExpressionAttributeValues: { ':holder': lease.holder, ':token': lease.token, ':zero': 0 },
  };
}

/** Clears the pass mark while `lease` is still held (the holder then does the pass). */
export function takePassUpdate(lease: Pick<Lease, 'holder' | 'token'>): LeaseItemUpdate {
  return {
    UpdateExpression: 'REMOVE #pending',
    ConditionExpression: heldBy,
    ExpressionAttributeNames: heldByNames,
    ExpressionAttributeValues: { ':holder': lease.holder, ':token': lease.token },
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
