import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItem,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Harness, startTableHarness } from './local-aws-harness.js';

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
  pk = `service#t${run}`;
});

const key = (sk: string) => ({ pk: { S: pk }, sk: { S: sk } });
const get = async (sk: string) => (await h.dynamo.send(new GetItemCommand({ TableName: 'corral', Key: key(sk), ConsistentRead: true }))).Item;
const put = (sk: string, attributes: Record<string, { N: string } | { S: string }> = {}) =>
  h.dynamo.send(new PutItemCommand({ TableName: 'corral', Item: { ...key(sk), ...attributes } }));

/** A lease check, a status update, an event put and a delete: the shape Corral's fenced writes take. */
function fencedWrite(token: number): TransactWriteItem[] {
  return [
    {
      ConditionCheck: {
        TableName: 'corral',
        Key: key('lease'),
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':token': { N: String(token) } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    {
      Update: {
        TableName: 'corral',
        Key: key('status'),
        UpdateExpression: 'SET phase = :phase ADD writes :one',
        ExpressionAttributeValues: { ':phase': { S: 'Progressing' }, ':one': { N: '1' } },
      },
    },
    { Put: { TableName: 'corral', Item: { ...key('event#1'), reason: { S: 'Started' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
    { Delete: { TableName: 'corral', Key: key('revision#1') } },
  ];
}

describe('TransactWriteItems on the local endpoint', () => {
  test('applies every action when every condition holds, with one stream record per changed item', async () => {
    await put('lease', { token: { N: '7' } });
    await put('revision#1', { image: { S: 'nginx:1.27' } });
    const from = records.length;

    await h.dynamo.send(new TransactWriteItemsCommand({ TransactItems: fencedWrite(7) }));

    expect(await get('status')).toEqual({ ...key('status'), phase: { S: 'Progressing' }, writes: { N: '1' } });
    expect(await get('event#1')).toEqual({ ...key('event#1'), reason: { S: 'Started' } });
    expect(await get('revision#1')).toBeUndefined();
    await h.bus.idle();
    const changed = records.slice(from).map((r) => `${r.eventName} ${r.dynamodb?.Keys?.sk?.S}`);
    // The ConditionCheck changes nothing, so it writes no record.
    expect(changed).toEqual(['INSERT status', 'INSERT event#1', 'REMOVE revision#1']);
  });

  test('a failed condition cancels the whole transaction, with reasons in request order and the item it saw', async () => {
    await put('lease', { token: { N: '8' } });
    await put('status', { phase: { S: 'Available' } });
    await put('revision#1', { image: { S: 'nginx:1.27' } });

    const failure = await h.dynamo.send(new TransactWriteItemsCommand({ TransactItems: fencedWrite(7) })).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(TransactionCanceledException);
    const reasons = (failure as TransactionCanceledException).CancellationReasons;
    expect(reasons).toEqual([
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { ...key('lease'), token: { N: '8' } } },
      { Code: 'None' },
      { Code: 'None' },
      { Code: 'None' },
    ]);
    expect((failure as Error).message).toContain('[ConditionalCheckFailed, None, None, None]');
    // Nothing was written: the status kept its phase, no event, the revision is still there.
    expect(await get('status')).toEqual({ ...key('status'), phase: { S: 'Available' } });
    expect(await get('event#1')).toBeUndefined();
    expect(await get('revision#1')).toBeDefined();
  });

  test('every failed condition is reported, not only the first', async () => {
    await put('lease', { token: { N: '1' } });
    await put('event#1');
    const failure = (await h.dynamo.send(new TransactWriteItemsCommand({ TransactItems: fencedWrite(2) })).catch((e: unknown) => e)) as TransactionCanceledException;
    expect(failure.CancellationReasons?.map((r) => r.Code)).toEqual(['ConditionalCheckFailed', 'None', 'ConditionalCheckFailed', 'None']);
    // No ALL_OLD asked for on the Put: its reason carries no item.
    expect(failure.CancellationReasons?.[2].Item).toBeUndefined();
  });

  test('an update that fails on the data rolls back the actions before it', async () => {
    await put('a', { n: { N: '1' } });
    await put('b', { n: { S: 'not a number' } });
    const failure = (await h.dynamo
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Update: { TableName: 'corral', Key: key('a'), UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
            { Update: { TableName: 'corral', Key: key('b'), UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
          ],
        }),
      )
      .catch((e: unknown) => e)) as TransactionCanceledException;
    expect(failure).toBeInstanceOf(TransactionCanceledException);
    expect(failure.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ValidationError']);
    expect(await get('a')).toEqual({ ...key('a'), n: { N: '1' } });
  });

  test('at most 100 actions, at least one', async () => {
    const puts = (n: number): TransactWriteItem[] => Array.from({ length: n }, (_, i) => ({ Put: { TableName: 'corral', Item: key(`item#${i}`) } }));
    await h.dynamo.send(new TransactWriteItemsCommand({ TransactItems: puts(100) }));
    expect(await get('item#99')).toBeDefined();
    // The SDK does not check the length itself: the endpoint refuses, as DynamoDB does.
    await expect(h.dynamo.send(new TransactWriteItemsCommand({ TransactItems: puts(101) }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('less than or equal to 100'),
    });
    await expect(h.dynamo.send(new TransactWriteItemsCommand({ TransactItems: [] }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  test('two actions on one item are refused whole, even a check and a put', async () => {
    const both: TransactWriteItem[] = [
      { ConditionCheck: { TableName: 'corral', Key: key('x'), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: 'corral', Item: { ...key('x'), v: { N: '1' } } } },
      { Put: { TableName: 'corral', Item: key('y') } },
    ];
    await expect(h.dynamo.send(new TransactWriteItemsCommand({ TransactItems: both }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Transaction request cannot include multiple operations on one item',
    });
    expect(await get('y')).toBeUndefined();
  });

  test('bad expressions, a missing key attribute and a missing table are refused before anything is written', async () => {
    const good = { Put: { TableName: 'corral', Item: key('ok') } };
    const send = (action: TransactWriteItem) => h.dynamo.send(new TransactWriteItemsCommand({ TransactItems: [good, action] }));
    await expect(send({ Update: { TableName: 'corral', Key: key('u'), UpdateExpression: 'SET = 1' } })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      send({ Update: { TableName: 'corral', Key: key('u'), UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { N: '1' }, ':unused': { N: '2' } } } }),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('unused') });
    await expect(send({ Put: { TableName: 'corral', Item: { pk: { S: pk } } } })).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('Missing the key sk') });
    await expect(send({ Put: { TableName: 'missing', Item: key('m') } })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await get('ok')).toBeUndefined();
  });

  test('a client request token makes a retry a no-op, and a different request with it an error', async () => {
    const token = `token-${run}`;
    const increment: TransactWriteItem[] = [
      { Update: { TableName: 'corral', Key: key('counter'), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
    ];
    await h.dynamo.send(new TransactWriteItemsCommand({ TransactItems: increment, ClientRequestToken: token }));
    await h.dynamo.send(new TransactWriteItemsCommand({ TransactItems: increment, ClientRequestToken: token }));
    expect((await get('counter'))?.n).toEqual({ N: '1' });
    await expect(
      h.dynamo.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'corral', Item: key('other') } }], ClientRequestToken: token })),
    ).rejects.toMatchObject({ name: 'IdempotentParameterMismatchException' });
    // Past the ten-minute window the token is new again.
    h.clock.advance(10 * 60_000 + 1);
    await h.dynamo.send(new TransactWriteItemsCommand({ TransactItems: increment, ClientRequestToken: token }));
    expect((await get('counter'))?.n).toEqual({ N: '2' });
  });

  test('a read never sees half a transaction', async () => {
    await put('lease', { token: { N: '3' } });
    const items: TransactWriteItem[] = Array.from({ length: 50 }, (_, i) => ({ Put: { TableName: 'corral', Item: { ...key(`part#${String(i).padStart(2, '0')}`), v: { N: '1' } } } }));
    const writing = h.dynamo.send(new TransactWriteItemsCommand({ TransactItems: items }));
    const seen = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.dynamo
          .send(new BatchGetItemCommand({ RequestItems: { corral: { Keys: [key('part#00'), key('part#49')], ConsistentRead: true } } }))
          .then((out) => out.Responses?.corral?.length ?? 0),
      ),
    );
    await writing;
    for (const count of seen) expect([0, 2]).toContain(count);
  });
});

describe('TransactGetItems and BatchGetItem on the local endpoint', () => {
  test('answers items in request order, an empty response for a missing one', async () => {
    await put('a', { v: { N: '1' } });
    await put('c', { v: { N: '3' } });
    const out = await h.dynamo.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: 'corral', Key: key('c') } },
          { Get: { TableName: 'corral', Key: key('b') } },
          { Get: { TableName: 'corral', Key: key('a'), ProjectionExpression: 'v' } },
        ],
      }),
    );
    expect(out.Responses).toEqual([{ Item: { ...key('c'), v: { N: '3' } } }, {}, { Item: { v: { N: '1' } } }]);
    await expect(
      h.dynamo.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'corral', Key: key('a') } }, { Get: { TableName: 'corral', Key: key('a') } }] })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: 'Transaction request cannot include multiple operations on one item' });
  });

  test('BatchGetItem reads up to 100 keys and refuses more', async () => {
    await put('a', { v: { N: '1' } });
    const out = await h.dynamo.send(new BatchGetItemCommand({ RequestItems: { corral: { Keys: [key('a'), key('missing')] } } }));
    expect(out.Responses?.corral).toEqual([{ ...key('a'), v: { N: '1' } }]);
    const keys = Array.from({ length: 101 }, (_, i) => key(`k#${i}`));
    await expect(h.dynamo.send(new BatchGetItemCommand({ RequestItems: { corral: { Keys: keys } } }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('single-item writes on the local endpoint', () => {
  test('a failed condition carries the item it saw when asked with ALL_OLD', async () => {
    await put('lease', { token: { N: '4' } });
    const failure = await h.dynamo
      .send(
        new UpdateItemCommand({
          TableName: 'corral',
          Key: key('lease'),
          UpdateExpression: 'SET #token = :next',
          ConditionExpression: '#token = :mine',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':next': { N: '5' }, ':mine': { N: '3' } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConditionalCheckFailedException);
    expect((failure as ConditionalCheckFailedException).Item).toEqual({ ...key('lease'), token: { N: '4' } });
  });
});
