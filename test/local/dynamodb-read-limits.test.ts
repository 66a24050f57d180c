import { BatchGetItemCommand, PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../lib/aws/table-setup.js';
import { type Harness, startHarness } from './local-aws-harness.js';

/** The local DynamoDB's reads keep DynamoDB's limits (botocore's dynamodb model); BatchGetItem's 16 MB needs the proxy's help. */

let h: Harness;
const big = 'x'.repeat(350_000);

beforeAll(async () => {
  h = await startHarness();
  await ensureTable(h.dynamo, 'corral');
  // 12 items of ~350 KB (4.2 MB in all) and 5 small ones of one kind.
  for (let i = 0; i < 12; i++) {
    await h.dynamo.send(new PutItemCommand({ TableName: 'corral', Item: { pk: { S: `big#${i}` }, sk: { S: 'spec' }, blob: { S: big } } }));
  }
  for (let i = 0; i < 5; i++) {
    await h.dynamo.send(new PutItemCommand({
      TableName: 'corral',
      Item: { pk: { S: `small#${i}` }, sk: { S: 'spec' }, kind: { S: 'small' }, name: { S: `n${i}` }, odd: { BOOL: i % 2 === 1 } },
    }));
  }
});
afterAll(() => h.close());

describe('BatchGetItem', () => {
  it('answers up to 16 MB at once (dynalite alone stops at about 1 MB) and keeps the projection of unprocessed keys', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => ({ pk: { S: `big#${i}` }, sk: { S: 'spec' } }));
    const out = await h.dynamo.send(new BatchGetItemCommand({ RequestItems: { corral: { Keys: keys, ConsistentRead: true } } }));
    expect(out.Responses?.corral).toHaveLength(12);
    expect(out.UnprocessedKeys ?? {}).toEqual({});

    const projected = await h.dynamo.send(new BatchGetItemCommand({
      RequestItems: { corral: { Keys: keys, ProjectionExpression: '#pk, #blob', ExpressionAttributeNames: { '#pk': 'pk', '#blob': 'blob' } } },
    }));
    expect(projected.Responses?.corral).toHaveLength(12);
    expect(Object.keys(projected.Responses!.corral![0]!).sort()).toEqual(['blob', 'pk']);
  });

  it('refuses more than 100 keys as DynamoDB does', async () => {
    const keys = Array.from({ length: 101 }, (_, i) => ({ pk: { S: `k#${i}` }, sk: { S: 'spec' } }));
    await expect(h.dynamo.send(new BatchGetItemCommand({ RequestItems: { corral: { Keys: keys } } })))
      .rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/less than or equal to 100|Too many items requested/) });
  });
});

describe('Query and Scan with Limit', () => {
  const byKind = { TableName: 'corral', IndexName: 'byKind', KeyConditionExpression: '#kind = :kind', ExpressionAttributeNames: { '#kind': 'kind' }, ExpressionAttributeValues: { ':kind': { S: 'small' } } };

  it('answer a LastEvaluatedKey whenever they stopped at Limit, and an empty last page after it', async () => {
    const first = await h.dynamo.send(new QueryCommand({ ...byKind, Limit: 3 }));
    expect(first.Items?.map((i) => i.name?.S)).toEqual(['n0', 'n1', 'n2']);
    expect(first.LastEvaluatedKey).toEqual({ kind: { S: 'small' }, name: { S: 'n2' }, pk: { S: 'small#2' }, sk: { S: 'spec' } });
    // Exactly the 2 that are left: DynamoDB still says where it stopped...
    const second = await h.dynamo.send(new QueryCommand({ ...byKind, Limit: 2, ExclusiveStartKey: first.LastEvaluatedKey }));
    expect(second.Items?.map((i) => i.name?.S)).toEqual(['n3', 'n4']);
    expect(second.LastEvaluatedKey).toEqual({ kind: { S: 'small' }, name: { S: 'n4' }, pk: { S: 'small#4' }, sk: { S: 'spec' } });
    // ...and the page after it is empty, without a key.
    const third = await h.dynamo.send(new QueryCommand({ ...byKind, Limit: 2, ExclusiveStartKey: second.LastEvaluatedKey }));
    expect(third.Items).toEqual([]);
    expect(third.LastEvaluatedKey).toBeUndefined();
    // Fewer than Limit left: no key.
    expect((await h.dynamo.send(new QueryCommand({ ...byKind, Limit: 9 }))).LastEvaluatedKey).toBeUndefined();
  });

  it('name the last item evaluated even when the filter dropped it or the projection left its key out', async () => {
    // n0..n4; odd = n1, n3. Limit 5 evaluates all five; the last (n4) is filtered out.
    const filtered = await h.dynamo.send(new QueryCommand({
      ...byKind, Limit: 5, FilterExpression: '#odd = :yes',
      ExpressionAttributeNames: { ...byKind.ExpressionAttributeNames, '#odd': 'odd' }, ExpressionAttributeValues: { ...byKind.ExpressionAttributeValues, ':yes': { BOOL: true } },
    }));
    expect(filtered.Items?.map((i) => i.name?.S)).toEqual(['n1', 'n3']);
    expect(filtered.LastEvaluatedKey).toEqual({ kind: { S: 'small' }, name: { S: 'n4' }, pk: { S: 'small#4' }, sk: { S: 'spec' } });
    const projected = await h.dynamo.send(new QueryCommand({ ...byKind, Limit: 5, ProjectionExpression: 'odd' }));
    expect(projected.LastEvaluatedKey).toEqual({ kind: { S: 'small' }, name: { S: 'n4' }, pk: { S: 'small#4' }, sk: { S: 'spec' } });
    // A Scan of the index: its five items, Limit 5.
    const scanned = await h.dynamo.send(new ScanCommand({ TableName: 'corral', IndexName: 'byKind', Limit: 5 }));
    expect(scanned.Items).toHaveLength(5);
    expect(scanned.LastEvaluatedKey).toEqual({ kind: { S: 'small' }, name: scanned.Items![4]!.name, pk: scanned.Items![4]!.pk, sk: { S: 'spec' } });
  });
});
