import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Lease } from '../core/lease/lease.js';

/** Errors of the lease store and of writes fenced by a lease. */
export class LeaseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LeaseError';
  }
}

/**
 * An acquisition refused because someone else holds an unexpired lease. `current` is that
 * lease when the store could say (it is what a contender waits out before trying again).
 */
export class LeaseHeldError extends LeaseError {
  constructor(
    readonly leaseName: string,
    readonly current: Lease | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      current === undefined
        ? `lease ${leaseName} is held by another holder`
        : `lease ${leaseName} is held by ${current.holder} (token ${current.token}) until ${new Date(current.expiresAt).toISOString()}`,
      options,
    );
    this.name = 'LeaseHeldError';
  }
}

/**
 * A renew or release of a lease whose token is no longer the stored one: another holder
 * acquired it since. The former holder must stop acting at once. `current` is the record
 * that superseded it, when known.
 */
export class LeaseLostError extends LeaseError {
  constructor(
    readonly lease: Lease,
    readonly current: Lease | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      current === undefined
        ? `lease ${lease.name} (token ${lease.token}) was lost by ${lease.holder}`
        : `lease ${lease.name} (token ${lease.token}) was lost by ${lease.holder}: now held by ${current.holder} with token ${current.token}`,
      options,
    );
    this.name = 'LeaseLostError';
  }
}

/**
 * A write refused because a newer lease token got there first: `item` (a written item, or the
 * lease itself for a transactional write) carries token `fence`. The writer was superseded and
 * must stop acting.
 */
export class FencedWriteRejectedError extends LeaseError {
  constructor(
    readonly token: number,
    readonly fence: number,
    readonly item: string,
    options?: { cause?: unknown },
  ) {
    super(`write with fencing token ${token} rejected: ${item} carries token ${fence}`, options);
    this.name = 'FencedWriteRejectedError';
  }
}

/**
 * A fenced transaction whose lease check held but whose own conditions did not: `failedActions`
 * are the indexes (in the caller's list of actions) of the writes whose condition failed, with
 * the items those conditions saw when the action asked with ALL_OLD.
 */
export class FencedConditionFailedError extends LeaseError {
  constructor(
    readonly failedActions: readonly number[],
    readonly items: ReadonlyMap<number, Record<string, AttributeValue>>,
    options?: { cause?: unknown },
  ) {
    super(`fenced write refused: the condition of action ${failedActions.join(', ')} failed`, options);
    this.name = 'FencedConditionFailedError';
  }
}

/** The lease table could not be reached or refused the request for another reason. */
export class LeaseStoreError extends LeaseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LeaseStoreError';
  }
}
