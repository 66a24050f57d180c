import type { Item } from './stream-records.js';

/**
 * How a single-item write gets its stream images from the write itself, instead of a read before
 * and a read after it: PutItem and DeleteItem ask dynalite for `ALL_OLD` (the new image of a put
 * is its Item; a delete has none), one storage operation each; UpdateItem asks for `ALL_NEW` and
 * reads the old image first, two instead of three. The answer is then cut back to what the caller
 * asked for. Undefined for return values this cannot serve (UPDATED_OLD, UPDATED_NEW): the proxy
 * reads before and after as it always did.
 */
export interface SingleWritePlan {
  /** The request as sent to dynalite. */
  body: string;
  /** Whether the old image must be read before the write (UpdateItem). */
  readsBefore: boolean;
  /** The images, from the write's answer (and the read before, when there was one). */
  images(answer: { Attributes?: Item }, before: Item | undefined): { before: Item | undefined; after: Item | undefined };
  /** The answer's Attributes as the caller asked for them (undefined: none). */
  attributesFor(before: Item | undefined, after: Item | undefined): Item | undefined;
}

export function singleWritePlan(operation: string, request: Record<string, unknown>): SingleWritePlan | undefined {
  const asked = (request.ReturnValues as string | undefined) ?? 'NONE';
  if (operation === 'PutItem' || operation === 'DeleteItem') {
    if (asked !== 'NONE' && asked !== 'ALL_OLD') return undefined;
    return {
      body: JSON.stringify({ ...request, ReturnValues: 'ALL_OLD' }),
      readsBefore: false,
      images: (answer) => ({ before: answer.Attributes, after: operation === 'PutItem' ? (request.Item as Item) : undefined }),
      attributesFor: (before) => (asked === 'ALL_OLD' ? before : undefined),
    };
  }
  if (operation === 'UpdateItem') {
    if (asked !== 'NONE' && asked !== 'ALL_OLD' && asked !== 'ALL_NEW') return undefined;
    return {
      body: JSON.stringify({ ...request, ReturnValues: 'ALL_NEW' }),
      readsBefore: true,
      images: (answer, before) => ({ before, after: answer.Attributes }),
      attributesFor: (before, after) => (asked === 'ALL_OLD' ? before : asked === 'ALL_NEW' ? after : undefined),
    };
  }
  return undefined;
}
