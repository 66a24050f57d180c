import { itemSize } from 'dynalite/db/index.js';
import type { Item } from './stream-records.js';

/** BatchGetItem answers up to 16 MB (dynalite: about 1 MB) of at most 100 items. */
export const batchGetMaxBytes = 16 * 1024 * 1024;

type Call = (operation: string, payload: unknown) => Promise<{ status: number; json: Record<string, unknown> }>;
type KeysAndAttributes = { Keys: Item[]; ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } & Record<string, unknown>;

/**
 * Where dynalite's answer to a read differs from DynamoDB's, the answer DynamoDB gives
 * (undefined: dynalite's is already right). Per the service model (botocore dynamodb
 * 2012-08-10), BatchGetItem returns up to 16 MB; dynalite hands keys back unprocessed after
 * about 1 MB, and drops ProjectionExpression and ExpressionAttributeNames from UnprocessedKeys.
 * (Query and Scan already stop at Limit or 1 MB with a LastEvaluatedKey, as DynamoDB does:
 * test/local/dynamodb-read-limits.test.ts checks both.)
 */
export async function asDynamoDbAnswers(operation: string, request: Record<string, unknown>, answer: Record<string, unknown>, call: Call) {
  return operation === 'BatchGetItem' ? fillBatchGet(request, answer, call) : undefined;
}

/**
 * Asks dynalite again for the keys it left unprocessed while the answer stays within 16 MB; a
 * round that would go over is not taken, so its keys stay unprocessed (the answer stops at most
 * one dynalite round, ~1 MB, short of DynamoDB's limit).
 */
async function fillBatchGet(request: Record<string, unknown>, answer: Record<string, unknown>, call: Call) {
  const asked = (request.RequestItems ?? {}) as Record<string, KeysAndAttributes>;
  let unprocessed = withProjection((answer.UnprocessedKeys ?? {}) as Record<string, KeysAndAttributes>, asked);
  if (Object.keys(unprocessed).length === 0) return undefined;
  const responses = Object.fromEntries(Object.entries((answer.Responses ?? {}) as Record<string, Item[]>).map(([table, items]) => [table, [...items]]));
  let bytes = sizeOf(responses);
  while (Object.keys(unprocessed).length > 0) {
    const next = await call('BatchGetItem', { RequestItems: unprocessed });
    if (next.status !== 200) break;
    const more = (next.json.Responses ?? {}) as Record<string, Item[]>;
    const moreBytes = sizeOf(more);
    if (bytes + moreBytes > batchGetMaxBytes) break;
    for (const [table, items] of Object.entries(more)) (responses[table] ??= []).push(...items);
    bytes += moreBytes;
    unprocessed = withProjection((next.json.UnprocessedKeys ?? {}) as Record<string, KeysAndAttributes>, asked);
  }
  return { ...answer, Responses: responses, UnprocessedKeys: unprocessed };
}

/** UnprocessedKeys as DynamoDB gives them: with each table's projection as it was asked for. */
function withProjection(unprocessed: Record<string, KeysAndAttributes>, asked: Record<string, KeysAndAttributes>): Record<string, KeysAndAttributes> {
  return Object.fromEntries(
    Object.entries(unprocessed)
      .filter(([, entry]) => entry.Keys.length > 0)
      .map(([table, entry]) => {
        const { ProjectionExpression, ExpressionAttributeNames } = asked[table] ?? {};
        return [table, { ...entry, ...(ProjectionExpression ? { ProjectionExpression } : {}), ...(ExpressionAttributeNames ? { ExpressionAttributeNames } : {}) }];
      }),
  );
}

function sizeOf(responses: Record<string, Item[]>): number {
  return Object.values(responses).flat().reduce((sum, item) => sum + itemSize(item), 0);
}
