import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * How Corral recognises a failed DynamoDB condition, in one place. By name, not `instanceof`:
 * the document client and the low-level client may come from different copies of the SDK in a
 * bundle, and a test's mocked client throws plain objects with the same name.
 */
export function isConditionalCheckFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

export function isTransactionCanceled(error: unknown): boolean {
  return error instanceof Error && error.name === 'TransactionCanceledException';
}

/**
 * The item a failed condition saw, when the request asked for it with
 * `ReturnValuesOnConditionCheckFailure: ALL_OLD` (raw attribute values: the document client does
 * not unmarshall error payloads). Undefined when absent.
 */
export function conditionFailureItem(error: unknown): Record<string, AttributeValue> | undefined {
  if (!isConditionalCheckFailure(error)) return undefined;
  const item = (error as { Item?: Record<string, AttributeValue> }).Item;
  return item !== undefined && Object.keys(item).length > 0 ? item : undefined;
}

/** One entry per action of a cancelled transaction, in request order. */
export interface CancellationReason {
  readonly code: string;
  readonly message?: string;
  /** The item the action's condition saw, when it asked with ALL_OLD. */
  readonly item?: Record<string, AttributeValue>;
}

/** The reasons of a TransactionCanceledException, or undefined for any other error. */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (!isTransactionCanceled(error)) return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string; Message?: string; Item?: Record<string, AttributeValue> }[] }).CancellationReasons ?? [];
  return reasons.map((r) => ({
    code: r.Code ?? 'None',
    ...(r.Message ? { message: r.Message } : {}),
    ...(r.Item && Object.keys(r.Item).length > 0 ? { item: r.Item } : {}),
  }));
}

/**
 * A write refused by one of its conditions: a single write's ConditionalCheckFailedException, or
 * a transaction cancelled because a condition failed (not for throttling or a conflict).
 */
export function isConditionFailure(error: unknown): boolean {
  if (isConditionalCheckFailure(error)) return true;
  return cancellationReasons(error)?.some((r) => r.code === 'ConditionalCheckFailed') ?? false;
}
