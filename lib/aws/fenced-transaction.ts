import { TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Lease } from '../core/lease/lease.js';
import { cancellationReasons } from './condition-failures.js';
import { FencedConditionFailedError, FencedWriteRejectedError, LeaseStoreError } from './lease-errors.js';
import { leaseAttributes, leaseKey, releaseUnlessPendingUpdate, takePassUpdate, type LeaseItemUpdate } from './lease-items.js';

/** One action of a transaction, in the document client's form (plain values, not AttributeValues). */
export type TransactionAction = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The most actions one fenced write carries: DynamoDB's 100 per transaction, less the lease check. */
export const maxFencedActions = 99;

/** Where the lease lives and which token the writer holds. */
export interface FencedWriteTarget {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly lease: Pick<Lease, 'name' | 'token'>;
}

/**
 * The ConditionCheck that fences a transaction: the lease item still carries the writer's token.
 * Tokens grow with every acquisition, so once a successor has acquired the lease, every write of
 * the former holder fails here, on every item, including items the successor never wrote.
 */
export function leaseTokenCheck(tableName: string, lease: Pick<Lease, 'name' | 'token'>): TransactionAction {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: leaseKey(lease.name),
      ConditionExpression: '#token = :token',
      ExpressionAttributeNames: { '#token': leaseAttributes.token },
      ExpressionAttributeValues: { ':token': lease.token },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/**
 * Writes `actions` in one TransactWriteItems with the lease check first: all of them land, or
 * none does. The actions must not touch the lease item itself (DynamoDB refuses two actions on one
 * item) and number at most `maxFencedActions`.
 *
 * Throws FencedWriteRejectedError when the lease carries another token (the writer was
 * superseded, whatever else failed), FencedConditionFailedError when only the actions' own
 * conditions failed, and LeaseStoreError for anything else (throttling, a bad request).
 *
 *   await writeFenced({ documents, tableName, lease }, [
 *     { Put: { TableName: tableName, Item: run, ConditionExpression: 'attribute_not_exists(pk)' } },
 *   ]);
 */
export async function writeFenced(target: FencedWriteTarget, actions: readonly TransactionAction[]): Promise<void> {
  if (actions.length === 0) return;
  await transact(target, leaseTokenCheck(target.tableName, target.lease), actions);
}

/** How a fenced write that also ends the holder's pass left the lease. */
export type LeaseAfterCommit = 'released' | 'passTaken';

/**
 * `writeFenced` for the last write of a pass: the lease action releases the lease with the work
 * finished (lease-items.ts `releaseUnlessPendingUpdate`) instead of only checking the token, so
 * the pass costs no separate release. Its condition still checks the token, so fencing is the
 * same. When a pass was asked for meanwhile, the transaction is cancelled on the lease item and
 * its ALL_OLD item says so: the same actions are written again with the lease action taking the
 * pass (`takePassUpdate`) — 'passTaken': the holder still holds the lease and must reconcile
 * again. An ask that lands between the two writes is taken with the first; the pass that
 * follows reads after both. At most `maxFencedActions` actions.
 *
 * Example: no ask → 1 TransactWriteItems, 'released' (before: the commit and an UpdateItem).
 * An ask → 2 TransactWriteItems, 'passTaken' (before: the commit, a refused release, takePass).
 */
export async function writeFencedAndRelease(target: FencedWriteTarget & { readonly lease: Pick<Lease, 'holder'> }, actions: readonly TransactionAction[]): Promise<LeaseAfterCommit> {
  const { tableName, lease } = target;
  try {
    await transact(target, leaseUpdate(tableName, lease, releaseUnlessPendingUpdate(lease)), actions);
    return 'released';
  } catch (error) {
    if (!(error instanceof PassPending)) throw error;
  }
  await transact(target, leaseUpdate(tableName, lease, takePassUpdate(lease)), actions);
  return 'passTaken';
}

function leaseUpdate(tableName: string, lease: Pick<Lease, 'name'>, update: LeaseItemUpdate): TransactionAction {
  return { Update: { TableName: tableName, Key: leaseKey(lease.name), ...update, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } };
}

/** The lease item still carries the writer's token but has a pass asked for: the release refused. */
class PassPending extends Error {
  override readonly name = 'PassPending';
}

/** One TransactWriteItems of `leaseAction` (on the lease item, first) and `actions`, its failures mapped. */
async function transact(target: FencedWriteTarget, leaseAction: TransactionAction, actions: readonly TransactionAction[]): Promise<void> {
  const { documents, lease } = target;
  if (actions.length > maxFencedActions) {
    throw new LeaseStoreError(`a fenced write carries at most ${maxFencedActions} actions, not ${actions.length}`);
  }
  try {
    await documents.send(new TransactWriteCommand({ TransactItems: [leaseAction, ...actions] }));
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons === undefined) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new LeaseStoreError(`fenced write under lease ${lease.name} failed (${detail})`, { cause: error });
    }
    const [leaseReason, ...own] = reasons;
    if (leaseReason?.code === 'ConditionalCheckFailed') {
      const current = Number(leaseReason.item?.[leaseAttributes.token]?.N ?? 0);
      // Ours still, so only a release's "no pass pending" can have failed.
      if (current === lease.token && leaseReason.item?.[leaseAttributes.pendingPass] !== undefined) throw new PassPending();
      throw new FencedWriteRejectedError(lease.token, current, `lease ${lease.name}`, { cause: error });
    }
    const failed = own.flatMap((reason, i) => (reason.code === 'None' ? [] : [i]));
    const items = new Map(own.flatMap((reason, i) => (reason.item ? [[i, reason.item] as const] : [])));
    if (failed.length > 0 && own.every((r) => r.code === 'None' || r.code === 'ConditionalCheckFailed')) {
      throw new FencedConditionFailedError(failed, items, { cause: error });
    }
    throw new LeaseStoreError(`fenced write under lease ${lease.name} was cancelled (${reasons.map((r) => r.code).join(', ')})`, { cause: error });
  }
}
