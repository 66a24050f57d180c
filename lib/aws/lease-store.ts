import { GetCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Lease } from '../core/lease/lease.js';
import type { LeaseOptions } from '../core/lease/options.js';
import { LeaseHeldError, LeaseLostError, LeaseStoreError, type LeaseError } from './lease-errors.js';
import { conditionFailureItem, isConditionalCheckFailure } from './condition-failures.js';
import {
  leaseAttributes,
  leaseFromItem,
  leaseFromRawItem,
  leaseKey,
  predecessorFinished,
  releaseUnlessPendingUpdate,
  takePassUpdate,
} from './lease-items.js';
import { tableSchema } from './table-schema.js';

/** A lease just acquired. */
export interface AcquiredLease extends Lease {
  /**
   * The previous holder released it with its work finished and recorded (`release` with
   * `finished`, `releaseUnlessPending`, or a commit that released it), or nobody held it before.
   * False after an expiry (the holder died or stalled) or a release after a failure: whatever
   * that holder was doing may be half done.
   */
  readonly predecessorFinished: boolean;
}

/** Leases with fencing tokens. Time is passed in: `now` is the caller's clock (epoch ms). */
export interface LeaseStore {
  /**
   * Takes the lease if nobody holds it, it expired by `now`, or `holder` already holds it;
   * issues the next fencing token. Throws LeaseHeldError otherwise.
   */
  acquire(name: string, holder: string, now: number, options: Pick<LeaseOptions, 'leaseDurationMs'>): Promise<AcquiredLease>;
  /** Extends the lease to now + its duration, keeping the token. Throws LeaseLostError if superseded. */
  renew(lease: Lease, now: number): Promise<Lease>;
  /**
   * Makes the lease free at once, keeping the token. `finished`: the holder's work is done and
   * recorded, which the next acquisition reports. Throws LeaseLostError if superseded.
   */
  release(lease: Lease, options?: { finished?: boolean }): Promise<void>;
  /** The stored lease (strongly consistent), or undefined if it was never acquired. */
  read(name: string): Promise<Lease | undefined>;
}

/**
 * "Look again when you are done", kept on the lease item: the dirty mark of controller-runtime's
 * work queue. A trigger that finds the lease held marks it; the holder takes the mark before
 * releasing and, if it was set, reconciles once more, so a change that arrived mid-reconcile is
 * acted on at once rather than after a requeue delay.
 */
export interface PendingPasses {
  /**
   * Marks the lease `name` only while someone holds it unexpired at `now`: true means the holder
   * will see the mark (it cannot release past it); false, that it is free now (released or
   * expired), so the caller should take it instead. One conditional write either way.
   */
  requestPassWhileHeld(name: string, now: number): Promise<boolean>;
  /** Clears the mark while `lease` is still held; answers whether it was set. */
  takePass(lease: Lease): Promise<boolean>;
  /**
   * Releases `lease` with its work finished unless another pass was asked for, in one conditional
   * write, so no ask can fall between a last look at the mark and the release. False: a pass is
   * pending (take it and reconcile again) — or the lease was lost. A reconcile's commit can do the
   * same inside its transaction (`writeFencedAndRelease`, fenced-transaction.ts).
   */
  releaseUnlessPending(lease: Lease): Promise<boolean>;
}

const names = {
  '#pk': tableSchema.partitionKey,
  '#holder': leaseAttributes.holder,
  '#token': leaseAttributes.token,
  '#expiresAt': leaseAttributes.expiresAt,
  '#duration': leaseAttributes.durationMs,
};
const tokenNames = { '#holder': names['#holder'], '#token': names['#token'], '#expiresAt': names['#expiresAt'] };

/**
 * Leases and pending passes on the Corral table. Each operation is one conditional UpdateItem on
 * the lease item, so DynamoDB evaluates the condition and applies the write atomically: two
 * contenders racing for an expired lease cannot both succeed. Writes fenced by a lease check its
 * token from elsewhere (fenced-transaction.ts), which may also release or take a pass in the
 * same transaction, with the updates lease-items.ts builds for both.
 */
export class DynamoLeaseStore implements LeaseStore, PendingPasses {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async acquire(
    name: string,
    holder: string,
    now: number,
    options: Pick<LeaseOptions, 'leaseDurationMs'>,
  ): Promise<AcquiredLease> {
    if (holder === '') throw new LeaseStoreError(`acquire lease ${name}: holder must not be empty`);
    const attributes = await this.update(
      name,
      'acquire',
      {
        // Absent, expired by the contender's clock, or ours: see lib/core/lease canAcquire.
        ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt <= :now OR #holder = :holder',
        // Every acquisition (even a re-acquisition by the same holder) is a new epoch with a
        // new token; the token only grows because the item is never deleted. A pass asked of
        // an earlier holder is dropped: the new holder reads everything after this write.
        UpdateExpression:
          'SET #holder = :holder, #expiresAt = :expiresAt, #duration = :duration, ' +
          '#token = if_not_exists(#token, :zero) + :one REMOVE #pending',
        ExpressionAttributeNames: { ...names, '#pending': leaseAttributes.pendingPass },
        ExpressionAttributeValues: {
          ':now': now,
          ':holder': holder,
          ':expiresAt': now + options.leaseDurationMs,
          ':duration': options.leaseDurationMs,
          ':zero': 0,
          ':one': 1,
        },
        ReturnValues: 'ALL_NEW',
      },
      (current, cause) => new LeaseHeldError(name, current, { cause }),
    );
    return { ...leaseFromItem(name, attributes), predecessorFinished: predecessorFinished(attributes) };
  }

  async renew(lease: Lease, now: number): Promise<Lease> {
    const attributes = await this.update(
      lease.name,
      'renew',
      {
        // The token alone identifies the acquisition; the holder check guards against a lease
        // object handed to the wrong elector.
        ConditionExpression: '#holder = :holder AND #token = :token',
        UpdateExpression: 'SET #expiresAt = :expiresAt',
        ExpressionAttributeNames: tokenNames,
        ExpressionAttributeValues: { ':holder': lease.holder, ':token': lease.token, ':expiresAt': now + lease.durationMs },
        ReturnValues: 'ALL_NEW',
      },
      (current, cause) => new LeaseLostError(lease, current, { cause }),
    );
    return leaseFromItem(lease.name, attributes);
  }

  async release(lease: Lease, options: { finished?: boolean } = {}): Promise<void> {
    await this.update(
      lease.name,
      'release',
      {
        // Expiry 0 frees it for the next contender at once; holder and token stay, so the next
        // acquisition still issues a larger token.
        ConditionExpression: '#holder = :holder AND #token = :token',
        UpdateExpression: options.finished ? 'SET #expiresAt = :zero, #finished = :token' : 'SET #expiresAt = :zero',
        ExpressionAttributeNames: options.finished ? { ...tokenNames, '#finished': leaseAttributes.finishedToken } : tokenNames,
        ExpressionAttributeValues: { ':holder': lease.holder, ':token': lease.token, ':zero': 0 },
      },
      (current, cause) => new LeaseLostError(lease, current, { cause }),
    );
  }

  async requestPassWhileHeld(name: string, now: number): Promise<boolean> {
    const out = await this.conditional(name, 'request a pass on', {
      UpdateExpression: 'SET #pending = :true',
      ConditionExpression: 'attribute_exists(#holder) AND #expiresAt > :now',
      ExpressionAttributeNames: { '#pending': leaseAttributes.pendingPass, '#holder': names['#holder'], '#expiresAt': names['#expiresAt'] },
      ExpressionAttributeValues: { ':true': true, ':now': now },
    });
    return out !== false;
  }

  async takePass(lease: Lease): Promise<boolean> {
    const out = await this.conditional(lease.name, 'take the pass of', { ...takePassUpdate(lease), ReturnValues: 'UPDATED_OLD' });
    return out !== false && out?.[leaseAttributes.pendingPass] === true;
  }

  async releaseUnlessPending(lease: Lease): Promise<boolean> {
    return (await this.conditional(lease.name, 'release', releaseUnlessPendingUpdate(lease))) !== false;
  }

  async read(name: string): Promise<Lease | undefined> {
    try {
      const out = await this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: leaseKey(name), ConsistentRead: true }),
      );
      return out.Item === undefined ? undefined : leaseFromItem(name, out.Item);
    } catch (error) {
      throw storeError(`read lease ${name}`, error);
    }
  }

  /**
   * One conditional UpdateItem on the lease item. A failed condition becomes the error
   * `refused` builds from the record that failed it; anything else a LeaseStoreError.
   */
  private async update(
    name: string,
    action: string,
    input: Omit<UpdateCommandInput, 'TableName' | 'Key' | 'ReturnValuesOnConditionCheckFailure'>,
    refused: (current: Lease | undefined, cause: unknown) => LeaseError,
  ): Promise<Record<string, unknown>> {
    let attributes: Record<string, unknown> | undefined;
    try {
      const out = await this.documents.send(
        new UpdateCommand({
          ...input,
          TableName: this.tableName,
          Key: leaseKey(name),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      attributes = out.Attributes;
    } catch (error) {
      if (isConditionalCheckFailure(error)) throw refused(await this.currentAfterFailure(name, error), error);
      throw storeError(`${action} lease ${name}`, error);
    }
    if (input.ReturnValues === 'ALL_NEW' && attributes === undefined) {
      throw new LeaseStoreError(`${action} lease ${name}: the update returned no attributes`);
    }
    return attributes ?? {};
  }

  /** One conditional UpdateItem on the lease item: its attributes, or false when the condition failed. */
  private async conditional(
    name: string,
    action: string,
    input: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
  ): Promise<Record<string, unknown> | undefined | false> {
    try {
      return (await this.documents.send(new UpdateCommand({ ...input, TableName: this.tableName, Key: leaseKey(name) }))).Attributes;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw storeError(`${action} lease ${name}`, error);
    }
  }

  /**
   * The record that made a condition fail: from the error's ALL_OLD item on DynamoDB, or read
   * back where the service does not return it (dynalite, hence local mode). The read may see a
   * later record than the one that failed the condition; callers only use it to decide when to
   * try again, for which a later record is as good.
   */
  private async currentAfterFailure(name: string, error: unknown): Promise<Lease | undefined> {
    const item = conditionFailureItem(error);
    return item === undefined ? this.read(name) : leaseFromRawItem(name, item);
  }
}

function storeError(action: string, error: unknown): LeaseStoreError {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new LeaseStoreError(`${action} failed (${detail})`, { cause: error });
}
