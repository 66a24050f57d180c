import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, test } from 'vitest';
import { ensureTable } from '../../lib/aws/table-setup.js';
import { type Harness, startHarness } from './local-aws-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const key = { pk: { S: 'service#web' }, sk: { S: 'spec' } };

describe('DynamoDB through the endpoint', () => {
  test('put, get, and a conditional failure raise what the SDK expects', async () => {
    h = await startHarness();
    await ensureTable(h.dynamo, 'corral');
    await h.dynamo.send(new PutItemCommand({ TableName: 'corral', Item: { ...key, generation: { N: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' }));
    const got = await h.dynamo.send(new GetItemCommand({ TableName: 'corral', Key: key, ConsistentRead: true }));
    expect(got.Item).toEqual({ ...key, generation: { N: '1' } });
    const failed = h.dynamo.send(
      new PutItemCommand({ TableName: 'corral', Item: { ...key, generation: { N: '2' } }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    await expect(failed).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await expect(
      h.dynamo.send(new GetItemCommand({ TableName: 'missing', Key: key })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await h.dynamo.send(new UpdateTimeToLiveCommand({ TableName: 'corral', TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
    const ttl = await h.dynamo.send(new DescribeTimeToLiveCommand({ TableName: 'corral' }));
    expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  test('every write that changes an item becomes a NEW_AND_OLD_IMAGES stream record, in order', async () => {
    h = await startHarness();
    await ensureTable(h.dynamo, 'corral');
    const records: DynamoDBRecord[] = [];
    h.bus.addStreamTarget('corral', (event: DynamoDBStreamEvent) => void records.push(...event.Records));
    const other = { pk: { S: 'service#api' }, sk: { S: 'spec' } };

    await h.dynamo.send(new PutItemCommand({ TableName: 'corral', Item: { ...key, generation: { N: '1' } } }));
    await h.dynamo.send(
      new UpdateItemCommand({
        TableName: 'corral',
        Key: key,
        UpdateExpression: 'SET generation = :g',
        ExpressionAttributeValues: { ':g': { N: '2' } },
      }),
    );
    // Rewriting the same item changes nothing: no record, as in DynamoDB.
    await h.dynamo.send(new PutItemCommand({ TableName: 'corral', Item: { ...key, generation: { N: '2' } } }));
    // A failed condition writes nothing: no record.
    await expect(
      h.dynamo.send(new PutItemCommand({ TableName: 'corral', Item: { ...key, generation: { N: '9' } }, ConditionExpression: 'attribute_not_exists(pk)' })),
    ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await h.dynamo.send(
      new BatchWriteItemCommand({ RequestItems: { corral: [{ PutRequest: { Item: { ...other, generation: { N: '1' } } } }, { DeleteRequest: { Key: key } }] } }),
    );
    await h.dynamo.send(new DeleteItemCommand({ TableName: 'corral', Key: key })); // already gone: no record
    await h.bus.idle();

    expect(records.map((r) => [r.eventName, r.dynamodb?.Keys?.pk.S])).toEqual([
      ['INSERT', 'service#web'],
      ['MODIFY', 'service#web'],
      ['INSERT', 'service#api'],
      ['REMOVE', 'service#web'],
    ]);
    const [insert, modify, , remove] = records;
    expect(insert).toMatchObject({ eventSource: 'aws:dynamodb', eventVersion: '1.1', awsRegion: 'us-east-1' });
    expect(insert.eventSourceARN).toMatch(/^arn:aws:dynamodb:us-east-1:000000000000:table\/corral\/stream\/\d{4}-\d\d-\d\dT/);
    expect(insert.dynamodb).toMatchObject({ Keys: key, NewImage: { ...key, generation: { N: '1' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(insert.dynamodb?.OldImage).toBeUndefined();
    expect(modify.dynamodb).toMatchObject({ OldImage: { generation: { N: '1' } }, NewImage: { generation: { N: '2' } } });
    expect(remove.dynamodb?.OldImage).toEqual({ ...key, generation: { N: '2' } });
    expect(remove.dynamodb?.NewImage).toBeUndefined();
    const sequence = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(sequence).size).toBe(sequence.length);
  });

  test('concurrent writes to one item produce records whose images chain', async () => {
    h = await startHarness();
    await ensureTable(h.dynamo, 'corral');
    const records: DynamoDBRecord[] = [];
    h.bus.addStreamTarget('corral', (event: DynamoDBStreamEvent) => void records.push(...event.Records));
    await Promise.all(
      Array.from({ length: 20 }, () =>
        h!.dynamo.send(
          new UpdateItemCommand({ TableName: 'corral', Key: key, UpdateExpression: 'ADD hits :one', ExpressionAttributeValues: { ':one': { N: '1' } } }),
        ),
      ),
    );
    await h.bus.idle();
    expect(records).toHaveLength(20);
    records.forEach((r, i) => {
      expect(r.dynamodb?.NewImage?.hits.N).toBe(String(i + 1));
      expect(r.dynamodb?.OldImage?.hits?.N).toBe(i === 0 ? undefined : String(i));
    });
  });

  test('single writes answer the return values the caller asked for, whatever the proxy asked dynalite for', async () => {
    h = await startHarness();
    await ensureTable(h.dynamo, 'corral');
    const first = await h.dynamo.send(new PutItemCommand({ TableName: 'corral', Item: { ...key, generation: { N: '1' } } }));
    expect(first.Attributes).toBeUndefined();
    const replaced = await h.dynamo.send(new PutItemCommand({ TableName: 'corral', Item: { ...key, generation: { N: '2' } }, ReturnValues: 'ALL_OLD' }));
    expect(replaced.Attributes).toEqual({ ...key, generation: { N: '1' } });
    const update = (ReturnValues: 'NONE' | 'ALL_OLD' | 'ALL_NEW' | 'UPDATED_NEW', n: string) => h!.dynamo.send(new UpdateItemCommand({
      TableName: 'corral', Key: key, UpdateExpression: 'SET generation = :g', ExpressionAttributeValues: { ':g': { N: n } }, ReturnValues,
    }));
    expect((await update('NONE', '3')).Attributes).toBeUndefined();
    expect((await update('ALL_OLD', '4')).Attributes).toEqual({ ...key, generation: { N: '3' } });
    expect((await update('ALL_NEW', '5')).Attributes).toEqual({ ...key, generation: { N: '5' } });
    expect((await update('UPDATED_NEW', '6')).Attributes).toEqual({ generation: { N: '6' } });
    const deleted = await h.dynamo.send(new DeleteItemCommand({ TableName: 'corral', Key: key }));
    expect(deleted.Attributes).toBeUndefined();
    const failed = h.dynamo.send(new PutItemCommand({
      TableName: 'corral', Item: { ...key, generation: { N: '7' } }, ConditionExpression: 'attribute_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }));
    await expect(failed).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });
});
