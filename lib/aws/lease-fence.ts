import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Lease } from '../core/lease/lease.js';
import { FencedWriteRejectedError, LeaseStoreError } from './lease-errors.js';
import { conditionFailureItem, isConditionalCheckFailure } from './condition-failures.js';

/**
 * Fencing for writes made under a lease, to items other than the lease itself.
 *
 * Every fenced item carries a `fence` attribute: the largest lease token that has written it.
 * A write is accepted only if its token is at least that fence, and it sets the fence to its
 * token. Tokens grow with every acquisition, so once a newer holder has written an item, a
 * superseded holder (paused past its lease, then waking up) is refused there.
 *
 * Fencing is per item: an item refuses an old token only after the newer holder's first write
 * to it. `writeFenced` (fenced-transaction.ts) is stronger — a ConditionCheck on the lease item in
 * the same TransactWriteItems refuses a superseded holder on every item — and is what new writes
 * under a lease should use; this per-item fence serves single writes outside a transaction.
 * Until then the old holder's writes to that item are still accepted; they are ordered before
 * every write of the newer holder, so no item ever sees a smaller token after a larger one.
 * Example: A holds token 7 and writes status (fence 7), then stalls; B acquires token 8. If A
 * wakes before B writes, A's write lands with fence 7 and B's first write then sets 8; if B
 * writes first (fence 8), A's write is refused. Either way the item's history is 7… then 8….
 * A new holder that must shut its predecessor out of an item before acting should write it first.
 */
export const fenceAttribute = 'fence';

/** The pieces to add to a write so it is fenced by a lease. */
export interface FencedCondition {
  /** Parenthesised condition; AND it with the write's own condition, if any. */
  readonly condition: string;
  /** UpdateItem SET clause (`#fence = :fenceToken`); a PutItem puts `attributes` instead. */
  readonly set: string;
  readonly names: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, number>>;
  /** For PutItem: the attribute to include in the item. */
  readonly attributes: Readonly<Record<string, number>>;
}

/**
 * Condition and update fragments for a write under `lease`. Uses the placeholders `#fence`
 * and `:fenceToken`, which the write's own expressions must not reuse.
 */
export function fencedCondition(lease: Pick<Lease, 'token'>): FencedCondition {
  return {
    condition: '(attribute_not_exists(#fence) OR #fence <= :fenceToken)',
    set: '#fence = :fenceToken',
    names: { '#fence': fenceAttribute },
    values: { ':fenceToken': lease.token },
    attributes: { [fenceAttribute]: lease.token },
  };
}

/** Where a fenced write went, to look at its fence after a failed condition. */
export interface FencedTarget {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly key: Readonly<Record<string, string>>;
}

/**
 * Maps a failed fenced write: a FencedWriteRejectedError when the item's fence is newer than
 * the lease's token, undefined otherwise (not a condition failure, or the write's own condition
 * failed). The fence comes from the error's ALL_OLD item if the request asked for it, else from
 * a consistent read. The read happens after the failure, but fences only grow, so a fence at
 * or below the token now was at or below it when the write failed, and a fence above it means
 * the writer is superseded either way.
 *
 *   try { await documents.send(fencedUpdate) }
 *   catch (error) { throw (await fencedWriteRejection(error, lease, target)) ?? error }
 */
export async function fencedWriteRejection(
  error: unknown,
  lease: Pick<Lease, 'token'>,
  target: FencedTarget,
): Promise<FencedWriteRejectedError | undefined> {
  if (!isConditionalCheckFailure(error)) return undefined;
  const fence = await currentFence(error, target);
  if (fence === undefined || fence <= lease.token) return undefined;
  return new FencedWriteRejectedError(lease.token, fence, describeKey(target.key), { cause: error });
}

async function currentFence(error: unknown, target: FencedTarget): Promise<number | undefined> {
  const item = conditionFailureItem(error);
  if (item !== undefined) {
    const fence = item[fenceAttribute]?.N;
    return fence === undefined ? undefined : Number(fence);
  }
  try {
    const out = await target.documents.send(
      new GetCommand({
        TableName: target.tableName,
        Key: { ...target.key },
        ConsistentRead: true,
        ProjectionExpression: '#fence',
        ExpressionAttributeNames: { '#fence': fenceAttribute },
      }),
    );
    const fence = out.Item?.[fenceAttribute];
    return fence === undefined ? undefined : Number(fence);
  } catch (readError) {
    throw new LeaseStoreError(`read fence of ${describeKey(target.key)} failed`, { cause: readError });
  }
}

function describeKey(key: Readonly<Record<string, string>>): string {
  return Object.values(key).join(' / ');
}
