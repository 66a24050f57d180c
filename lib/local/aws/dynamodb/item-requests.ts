import { checkConditional } from 'dynalite/db/index.js';
import * as deleteItem from 'dynalite/validations/deleteItem.js';
import * as putItem from 'dynalite/validations/putItem.js';
import * as updateItem from 'dynalite/validations/updateItem.js';
import { checkTypes, checkValidations } from 'dynalite/validations/index.js';
import type { Item } from './stream-records.js';

/** The single-item operations a transaction's actions are made of. */
export type ItemOperation = 'PutItem' | 'UpdateItem' | 'DeleteItem';

const validationsOf = { PutItem: putItem, UpdateItem: updateItem, DeleteItem: deleteItem } as const;

/** DynamoDB's item size limit, as dynalite applies it (400 KB). */
const store = { options: { maxItemSize: 400 * 1024 } };

/** A request dynalite's validation rejected, with the error body dynalite would have answered. */
export class ItemRequestInvalid extends Error {
  override readonly name = 'ItemRequestInvalid';

  constructor(readonly body: { __type: string; message?: string; Message?: string }) {
    super(body.message ?? body.Message ?? 'invalid request');
  }
}

/** A validated single-item request: `evaluate` tells whether its condition holds on an item. */
export interface CheckedItemRequest {
  readonly operation: ItemOperation;
  /** The request as sent to dynalite (unknown members dropped). */
  readonly request: Record<string, unknown>;
  /** The request as dynalite's validation left it (parsed expressions included), for its action to apply once. */
  readonly parsed: Record<string, unknown>;
  conditionHolds(existing: Item | undefined): boolean;
}

/**
 * Validates `request` exactly as dynalite validates a PutItem, UpdateItem or DeleteItem (types,
 * expression syntax, unused placeholders) and parses its condition once, with dynalite's own
 * parser, so an action inside a transaction passes or fails where the same single write would.
 * Throws ItemRequestInvalid with dynalite's answer. Like dynalite's own handler, validation
 * rewrites the request's nested objects in place (checkTypes drops their unknown members): pass
 * one nothing reads afterwards.
 */
export function checkItemRequest(operation: ItemOperation, request: Record<string, unknown>): CheckedItemRequest {
  const validation = validationsOf[operation];
  let parsed: Record<string, unknown>;
  try {
    parsed = checkTypes(request, validation.types);
    checkValidations(parsed, validation.types, validation.custom, store);
  } catch (error) {
    const body = (error as { body?: ItemRequestInvalid['body'] }).body;
    if (body === undefined) throw error;
    throw new ItemRequestInvalid(body);
  }
  const sent = Object.fromEntries(Object.entries(parsed).filter(([name]) => !name.startsWith('_')));
  return {
    operation,
    request: sent,
    parsed,
    conditionHolds: (existing) => checkConditional(parsed, existing) == null,
  };
}
