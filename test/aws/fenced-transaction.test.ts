import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxFencedActions, writeFenced, writeFencedAndRelease, type TransactionAction } from '../../lib/aws/fenced-transaction.js';
import { FencedConditionFailedError, FencedWriteRejectedError, LeaseHeldError, LeaseStoreError } from '../../lib/aws/lease-errors.js';
import { DynamoLeaseStore } from '../../lib/aws/lease-store.js';
import { tableSchema } from '../../lib/aws/table-schema.js';
import { startTestDynamo, type TestDynamo } from '../support/dynalite.js';

const lease15s = { leaseDurationMs: 15_000 };
const t0 = Date.UTC(2026, 11, 1, 12, 0, 0);

let dynamo: TestDynamo;
let documents: DynamoDBDocumentClient;
let leases: DynamoLeaseStore;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  documents = DynamoDBDocumentClient.from(dynamo.client);
  leases = new DynamoLeaseStore(documents, dynamo.tableName);
});
afterAll(() => dynamo.close());

const key = (pk: string, sk: string) => ({ [tableSchema.partitionKey]: pk, [tableSchema.sortKey]: sk });
const put = (pk: string, sk: string, attributes: Record<string, unknown>): TransactionAction => ({
  Put: { TableName: dynamo.tableName, Item: { ...key(pk, sk), ...attributes } },
});
const read = async (pk: string, sk: string) =>
  (await documents.send(new GetCommand({ TableName: dynamo.tableName, Key: key(pk, sk), ConsistentRead: true }))).Item;
const target = (lease: { name: string; token: number; holder: string }) => ({ documents, tableName: dynamo.tableName, lease });

describe('writeFenced: a ConditionCheck on the lease token beside the protected writes', () => {
  it('writes every item while the lease is current', async () => {
    const a = await leases.acquire('service#web', 'a', t0, lease15s);
    await writeFenced(target(a), [put('service#web', 'status', { phase: 'Progressing' }), put('service#web', 'event#1', { reason: 'Started' })]);
    expect(await read('service#web', 'status')).toMatchObject({ phase: 'Progressing' });
    expect(await read('service#web', 'event#1')).toMatchObject({ reason: 'Started' });
  });

  it("refuses a stale holder on an item its successor never wrote, and writes none of the others", async () => {
    const a = await leases.acquire('job#nightly', 'a', t0, lease15s);
    await writeFenced(target(a), [put('job#nightly', 'status', { phase: 'Running' })]);
    // a pauses past its lease; b takes over but has not written anything yet.
    const b = await leases.acquire('job#nightly', 'b', t0 + 20_000, lease15s);

    const error = await writeFenced(target(a), [
      put('job#nightly', 'run#0001', { outcome: 'started' }),
      put('job#nightly', 'status', { phase: 'Stale' }),
    ]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FencedWriteRejectedError);
    expect(error).toMatchObject({ token: a.token, fence: b.token });
    // Per-item fencing would have let this first write of run#0001 through; the transaction does not.
    expect(await read('job#nightly', 'run#0001')).toBeUndefined();
    expect(await read('job#nightly', 'status')).toMatchObject({ phase: 'Running' });
    await writeFenced(target(b), [put('job#nightly', 'run#0001', { outcome: 'started' })]);
    expect(await read('job#nightly', 'run#0001')).toMatchObject({ outcome: 'started' });
  });

  it("reports the actions' own failed conditions by index, with the item each saw", async () => {
    const a = await leases.acquire('service#api', 'a', t0, lease15s);
    await writeFenced(target(a), [put('service#api', 'spec', { generation: 3 })]);
    const error = await writeFenced(target(a), [
      put('service#api', 'event#9', { reason: 'Changed' }),
      {
        Update: {
          TableName: dynamo.tableName,
          Key: key('service#api', 'spec'),
          UpdateExpression: 'SET generation = :next',
          ConditionExpression: 'generation = :seen',
          ExpressionAttributeValues: { ':next': 3, ':seen': 2 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FencedConditionFailedError);
    const failed = error as FencedConditionFailedError;
    expect(failed.failedActions).toEqual([1]);
    expect(failed.items.get(1)?.generation).toEqual({ N: '3' });
    expect(await read('service#api', 'event#9')).toBeUndefined();
  });

  it('refuses more actions than one transaction holds beside the check, and maps other failures', async () => {
    const a = await leases.acquire('service#big', 'a', t0, lease15s);
    const many = Array.from({ length: maxFencedActions + 1 }, (_, i) => put('service#big', `event#${i}`, {}));
    await expect(writeFenced(target(a), many)).rejects.toBeInstanceOf(LeaseStoreError);
    await writeFenced(target(a), many.slice(0, maxFencedActions));
    expect(await read('service#big', `event#${maxFencedActions - 1}`)).toBeDefined();
    // Writing the lease item itself beside its check is two actions on one item: DynamoDB refuses.
    const onLease = writeFenced(target(a), [put('lease#service#big', 'lease', { token: 99 })]);
    await expect(onLease).rejects.toBeInstanceOf(LeaseStoreError);
    await expect(onLease).rejects.toThrow(/ValidationException/);
  });
});

describe('writeFencedAndRelease: the last write of a pass hands the lease back in the same transaction', () => {
  const transactions = async () =>
    ((await (await fetch(`${dynamo.endpoint}/_corral/stats`)).json()) as { byOperation: Record<string, number> }).byOperation['dynamodb:TransactWriteItems'] ?? 0;

  it('writes the items and releases the lease, with the work finished, in one call', async () => {
    const a = await leases.acquire('service#rel', 'a', t0, lease15s);
    const before = await transactions();
    expect(await writeFencedAndRelease(target(a), [put('service#rel', 'status', { phase: 'Available' })])).toBe('released');
    expect(await transactions()).toBe(before + 1);
    expect(await read('service#rel', 'status')).toMatchObject({ phase: 'Available' });
    // Free at once (well before a's expiry), and the next holder learns a finished.
    const b = await leases.acquire('service#rel', 'b', t0 + 1, lease15s);
    expect(b).toMatchObject({ token: a.token + 1, predecessorFinished: true });
  });

  it('keeps the lease and takes the pass when one was asked for: the items are written once, the ask is not lost', async () => {
    const a = await leases.acquire('service#ask', 'a', t0, lease15s);
    expect(await leases.requestPassWhileHeld('service#ask', t0 + 1)).toBe(true);
    const before = await transactions();
    expect(await writeFencedAndRelease(target(a), [put('service#ask', 'event#1', { reason: 'Started' })])).toBe('passTaken');
    // Refused on the pending ask, then written with the pass taken.
    expect(await transactions()).toBe(before + 2);
    expect(await read('service#ask', 'event#1')).toMatchObject({ reason: 'Started' });
    await expect(leases.acquire('service#ask', 'b', t0 + 2, lease15s)).rejects.toBeInstanceOf(LeaseHeldError);
    // The mark is taken: after the extra pass, a can release.
    expect(await leases.takePass(a)).toBe(false);
    expect(await leases.releaseUnlessPending(a)).toBe(true);
  });

  it('refuses a stale holder on every item, even while its successor has a pass pending', async () => {
    const a = await leases.acquire('service#stale', 'a', t0, lease15s);
    const b = await leases.acquire('service#stale', 'b', t0 + 20_000, lease15s);
    expect(await leases.requestPassWhileHeld('service#stale', t0 + 20_001)).toBe(true);
    const stale = writeFencedAndRelease(target(a), [put('service#stale', 'status', { phase: 'Stale' })]);
    await expect(stale).rejects.toBeInstanceOf(FencedWriteRejectedError);
    await expect(stale).rejects.toMatchObject({ token: a.token, fence: b.token });
    expect(await read('service#stale', 'status')).toBeUndefined();
    // b's lease and its pending pass are untouched.
    expect(await leases.read('service#stale')).toMatchObject({ holder: 'b', token: b.token, expiresAt: t0 + 35_000 });
    expect(await leases.takePass(b)).toBe(true);
  });

  it("keeps the lease when the actions' own conditions fail", async () => {
    const a = await leases.acquire('service#own', 'a', t0, lease15s);
    const refused = writeFencedAndRelease(target(a), [{
      Put: { TableName: dynamo.tableName, Item: key('service#own', 'spec'), ConditionExpression: 'attribute_exists(pk)' },
    }]);
    await expect(refused).rejects.toBeInstanceOf(FencedConditionFailedError);
    expect(await leases.read('service#own')).toMatchObject({ holder: 'a', token: a.token, expiresAt: t0 + 15_000 });
  });
});
