import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableSchema } from './table-schema.js';

/** One page of a list: at most `limit` items whose names sort after `after` (none: from the start). */
export interface PageRequest {
  limit: number;
  after?: string;
}

/** A page of `T`; `nextAfter` (the last name on it) is present when more items follow. */
export interface Page<T> {
  items: T[];
  nextAfter?: string;
}

/**
 * A page of the items of one kind ("service", "job") from the byKind index, in name order (the
 * index's sort key: UTF-8 byte order). The position is a name, not a DynamoDB key: the next page
 * is `name > after`, so a name deleted since it was handed out still marks a valid place, and an
 * item is on exactly one page as long as it exists throughout (added ones show up when they sort
 * after the position).
 *
 * It asks for `limit + 1` items so that "more follow" is known without an empty last page
 * (DynamoDB answers a LastEvaluatedKey whenever it reached Limit, more or not). A page usually
 * costs one Query; spec items above 1 MB in all (DynamoDB's Query answer limit) cost one more
 * Query per MB.
 */
export async function queryKindPage(
  db: DynamoDBDocumentClient,
  tableName: string,
  kind: string,
  { limit, after }: PageRequest,
): Promise<Page<Record<string, any>>> {
  const { name: indexName, partitionKey, sortKey } = tableSchema.kindIndex;
  const items: Record<string, any>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new QueryCommand({
      TableName: tableName,
      IndexName: indexName,
      KeyConditionExpression: after === undefined ? '#kind = :kind' : '#kind = :kind AND #name > :after',
      ExpressionAttributeNames: { '#kind': partitionKey, ...(after === undefined ? {} : { '#name': sortKey }) },
      ExpressionAttributeValues: { ':kind': kind, ...(after === undefined ? {} : { ':after': after }) },
      Limit: limit + 1 - items.length,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    }));
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey && items.length <= limit);
  const page = items.slice(0, limit);
  return items.length > limit ? { items: page, nextAfter: String(page[page.length - 1]![sortKey]) } : { items: page };
}
