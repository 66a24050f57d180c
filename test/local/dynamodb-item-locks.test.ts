import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItem,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Harness, startTableHarness } from './local-aws-harness.js';

// Locks are per item (dynalite's own): transactions on different items of one table do not wait
// for each other, ones on the same item take turns, and each is still all or nothing.
let h: Harness;
const records: DynamoDBRecord[] = [];
beforeAll(async () => {
  h = await startTableHarness(records);
});
afterAll(() => h.close());

let run = 0;
let pk = '';
beforeEach(() => {
  run++;
  pk = `service#locks${run}`;
  records.length = 0;
});

const key = (sk: string) => ({ pk: { S: pk }, sk: { S: sk } });
const number = async (sk: string, attribute: string) => {
  const item = (await h.dynamo.send(new GetItemCommand({ TableName: 'corral', Key: key(sk), ConsistentRead: true }))).Item;
  return item?.[attribute]?.N === undefined ? undefined : Number(item[attribute].N);
};
const add = (sk: string, attribute: string): TransactWriteItem => ({
  Update: { TableName: 'corral', Key: key(sk), UpdateExpression: 'ADD #a :one', ExpressionAttributeNames: { '#a': attribute }, ExpressionAttributeValues: { ':one': { N: '1' } } },
});
const transact = (items: TransactWriteItem[]) => h.dynamo.send(new TransactWriteItemsCommand({ TransactItems: items }));
/** Which of the promises settles first, by index. */
const firstOf = (promises: Promise<unknown>[]) => Promise.race(promises.map((p, i) => p.then(() => i, () => i)));

describe('per-item locks on the local endpoint', () => {
  test('a small transaction on other items of the table is not held up behind a large one', async () => {
    const large = transact(Array.from({ length: 100 }, (_, i) => ({ Put: { TableName: 'corral', Item: { ...key(`big#${String(i).padStart(3, '0')}`), payload: { S: 'x'.repeat(2_000) } } } })));
    const small = transact([add('small', 'n')]);
    const single = h.dynamo.send(new PutItemCommand({ TableName: 'corral', Item: { ...key('single'), v: { S: 'one' } } }));
    // Behind a whole-table lock both would finish after the large one.
    expect(await firstOf([large, small])).toBe(1);
    expect(await firstOf([large, single])).toBe(1);
    await Promise.all([large, small, single]);
    expect(await number('small', 'n')).toBe(1);
  });

  test('transactions and single writes on the same item take turns: no increment is lost and the stream images chain', async () => {
    const writes = Array.from({ length: 30 }, (_, i) =>
      i % 3 === 0
        ? h.dynamo.send(new UpdateItemCommand({ TableName: 'corral', Key: key('counter'), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } }))
        : transact([add('counter', 'n'), add(`other#${i}`, 'n')]),
    );
    await Promise.all(writes);
    await h.bus.idle();
    expect(await number('counter', 'n')).toBe(30);
    const counter = records.filter((r) => r.dynamodb?.Keys?.sk.S === 'counter');
    expect(counter).toHaveLength(30);
    counter.forEach((r, i) => {
      expect(r.dynamodb?.OldImage?.n?.N).toBe(i === 0 ? undefined : String(i));
      expect(r.dynamodb?.NewImage?.n.N).toBe(String(i + 1));
    });
  });

  test('of concurrent transactions conditioned on the same version of an item exactly one commits, whole', async () => {
    await h.dynamo.send(new PutItemCommand({ TableName: 'corral', Item: { ...key('lease'), token: { N: '1' } } }));
    const attempts = Array.from({ length: 10 }, (_, i) =>
      transact([
        {
          Update: {
            TableName: 'corral', Key: key('lease'), UpdateExpression: 'SET #t = :next, holder = :me', ConditionExpression: '#t = :seen',
            ExpressionAttributeNames: { '#t': 'token' }, ExpressionAttributeValues: { ':seen': { N: '1' }, ':next': { N: '2' }, ':me': { S: `h${i}` } },
          },
        },
        { Put: { TableName: 'corral', Item: { ...key(`claim#${i}`), holder: { S: `h${i}` } } } },
      ]).then(() => i),
    );
    const outcomes = await Promise.allSettled(attempts);
    const won = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(won).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(TransactionCanceledException);
    const lease = (await h.dynamo.send(new GetItemCommand({ TableName: 'corral', Key: key('lease'), ConsistentRead: true }))).Item;
    expect(lease?.holder.S).toBe(`h${won[0]}`);
    const claims = await h.dynamo.send(new QueryCommand({
      TableName: 'corral', KeyConditionExpression: 'pk = :pk AND begins_with(sk, :claim)', ExpressionAttributeValues: { ':pk': { S: pk }, ':claim': { S: 'claim#' } },
    }));
    expect(claims.Items?.map((item) => item.holder.S)).toEqual([`h${won[0]}`]);
  });

  test('Query, TransactGetItems and the kind index see all of a transaction or none of it', async () => {
    const pair = (v: number): TransactWriteItem[] => ['a', 'b'].map((sk) => ({
      Put: { TableName: 'corral', Item: { ...key(sk), kind: { S: `pair-${pk}` }, name: { S: sk }, v: { N: String(v) } } },
    }));
    const versions = (items: Record<string, { N?: string }>[] | undefined) => (items ?? []).map((item) => item.v?.N);
    const seen: (string | undefined)[][] = [];
    const reads: Promise<unknown>[] = [];
    const writes: Promise<unknown>[] = [];
    for (let v = 1; v <= 10; v++) {
      writes.push(transact(pair(v)));
      reads.push(
        h.dynamo.send(new QueryCommand({ TableName: 'corral', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: pk } } })).then((out) => seen.push(versions(out.Items))),
        h.dynamo.send(new QueryCommand({ TableName: 'corral', IndexName: 'byKind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': { S: `pair-${pk}` } } })).then((out) => seen.push(versions(out.Items))),
        h.dynamo.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'corral', Key: key('a') } }, { Get: { TableName: 'corral', Key: key('b') } }] }))
          .then((out) => seen.push((out.Responses ?? []).filter((r) => r.Item).map((r) => r.Item?.v?.N))),
      );
    }
    await Promise.all([...writes, ...reads]);
    expect(seen).toHaveLength(30);
    for (const versionsSeen of seen) {
      expect([0, 2]).toContain(versionsSeen.length);
      if (versionsSeen.length === 2) expect(versionsSeen[0]).toBe(versionsSeen[1]);
    }
    const index = await h.dynamo.send(new QueryCommand({ TableName: 'corral', IndexName: 'byKind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': { S: `pair-${pk}` } } }));
    expect(versions(index.Items)).toEqual(['10', '10']);
  });

  test('a transaction that fails on the data while others run leaves none of its writes, in the table or its index', async () => {
    await h.dynamo.send(new PutItemCommand({ TableName: 'corral', Item: { ...key('text'), s: { S: 'not a number' } } }));
    const failing = transact([
      { Put: { TableName: 'corral', Item: { ...key('first'), kind: { S: `fail-${pk}` }, name: { S: 'first' } } } },
      add('text', 's'),
    ]);
    const others = Array.from({ length: 5 }, (_, i) => transact([add(`ok#${i}`, 'n')]));
    await expect(failing).rejects.toBeInstanceOf(TransactionCanceledException);
    await Promise.all(others);
    expect(await h.dynamo.send(new GetItemCommand({ TableName: 'corral', Key: key('first'), ConsistentRead: true }))).not.toHaveProperty('Item');
    const index = await h.dynamo.send(new QueryCommand({ TableName: 'corral', IndexName: 'byKind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': { S: `fail-${pk}` } } }));
    expect(index.Items).toEqual([]);
    for (let i = 0; i < 5; i++) expect(await number(`ok#${i}`, 'n')).toBe(1);
  });

  test('a read sent after a write is sent sees it: reads wait for the writes that reached the endpoint before them', async () => {
    for (let v = 1; v <= 10; v++) {
      const write = transact([{ Put: { TableName: 'corral', Item: { ...key('ordered'), v: { N: String(v) } } } }]);
      const single = h.dynamo.send(new UpdateItemCommand({ TableName: 'corral', Key: key('single'), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: String(v) } } }));
      const read = h.dynamo.send(new GetItemCommand({ TableName: 'corral', Key: key('ordered'), ConsistentRead: true }));
      const query = h.dynamo.send(new QueryCommand({ TableName: 'corral', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: pk } }, ConsistentRead: true }));
      expect((await read).Item?.v.N).toBe(String(v));
      expect((await query).Items?.map((item) => item.v.N)).toEqual([String(v), String(v)]);
      await Promise.all([write, single]);
    }
  });
});
