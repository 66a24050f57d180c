import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fencedCondition, fencedWriteRejection, type FencedTarget } from '../../lib/aws/lease-fence.js';
import { FencedWriteRejectedError, LeaseHeldError, LeaseLostError } from '../../lib/aws/lease-errors.js';
import { leaseKey } from '../../lib/aws/lease-items.js';
import { DynamoLeaseStore, type AcquiredLease } from '../../lib/aws/lease-store.js';
import { tableSchema } from '../../lib/aws/table-schema.js';
import type { Lease } from '../../lib/core/lease/index.js';
import { startTestDynamo, type TestDynamo } from '../support/dynalite.js';

const lease15s = { leaseDurationMs: 15_000 };
const t0 = Date.UTC(2026, 10, 25, 12, 0, 0);

let dynamo: TestDynamo;
let documents: DynamoDBDocumentClient;
let store: DynamoLeaseStore;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  documents = DynamoDBDocumentClient.from(dynamo.client);
  store = new DynamoLeaseStore(documents, dynamo.tableName);
});
afterAll(() => dynamo.close());

/** Rejects with what `promise` rejects with, failing if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => expect.fail(`expected a rejection, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}

describe('DynamoLeaseStore against dynalite', () => {
  it('acquires a fresh lease with token 1, expiring one lease duration later', async () => {
    const { predecessorFinished, ...lease } = await store.acquire('fresh', 'a', t0, lease15s);
    expect(lease).toEqual({ name: 'fresh', holder: 'a', token: 1, expiresAt: t0 + 15_000, durationMs: 15_000 });
    // Nobody held it before: nothing can be half done.
    expect(predecessorFinished).toBe(true);
    expect(await store.read('fresh')).toEqual(lease);
    expect(await store.read('never-acquired')).toBeUndefined();
  });

  it('refuses another holder before expiry, naming the holder and its expiry', async () => {
    await store.acquire('busy', 'a', t0, lease15s);
    const error = await rejection(store.acquire('busy', 'b', t0 + 14_999, lease15s));
    expect(error).toBeInstanceOf(LeaseHeldError);
    expect((error as LeaseHeldError).current).toMatchObject({ holder: 'a', token: 1, expiresAt: t0 + 15_000 });
    expect((error as LeaseHeldError).message).toContain('held by a (token 1)');
  });

  it('renews without changing the token, and a re-acquisition by the holder issues a new one', async () => {
    const { predecessorFinished: _, ...first } = await store.acquire('renewed', 'a', t0, lease15s);
    const renewed = await store.renew(first, t0 + 2_000);
    expect(renewed).toEqual({ ...first, expiresAt: t0 + 17_000 });
    const again = await store.acquire('renewed', 'a', t0 + 4_000, lease15s);
    expect(again.token).toBe(2);
    // the first acquisition's token is superseded, even for the same holder
    expect(await rejection(store.renew(first, t0 + 5_000))).toBeInstanceOf(LeaseLostError);
  });

  it('lets a contender take over at the expiry instant, with the next token', async () => {
    const a = await store.acquire('takeover', 'a', t0, lease15s);
    const b = await store.acquire('takeover', 'b', a.expiresAt, lease15s);
    expect(b).toMatchObject({ holder: 'b', token: a.token + 1, expiresAt: a.expiresAt + 15_000 });
  });

  it('rejects a former holder renewing or releasing after a takeover', async () => {
    const a = await store.acquire('former', 'a', t0, lease15s);
    const b = await store.acquire('former', 'b', t0 + 20_000, lease15s);
    const renewError = await rejection(store.renew(a, t0 + 20_001));
    expect(renewError).toBeInstanceOf(LeaseLostError);
    expect((renewError as LeaseLostError).current).toMatchObject({ holder: 'b', token: b.token });
    expect(await rejection(store.release(a))).toBeInstanceOf(LeaseLostError);
    const { predecessorFinished, ...stored } = b;
    expect(await store.read('former')).toEqual(stored);
    // a's lease ran out while it held it: b cannot assume a finished.
    expect(predecessorFinished).toBe(false);
  });

  it('tells the next holder whether the previous one released with its work finished', async () => {
    const a = await store.acquire('handover', 'a', t0, lease15s);
    await store.release(a, { finished: true });
    const b = await store.acquire('handover', 'b', t0 + 1, lease15s);
    expect(b.predecessorFinished).toBe(true);
    // A release after a failure is not a finished one, and neither is an expiry.
    await store.release(b);
    const c = await store.acquire('handover', 'c', t0 + 2, lease15s);
    expect(c.predecessorFinished).toBe(false);
    const d = await store.acquire('handover', 'd', c.expiresAt, lease15s);
    expect(d.predecessorFinished).toBe(false);
    // The next finished release hands over cleanly again.
    await store.release(d, { finished: true });
    const e = await store.acquire('handover', 'e', c.expiresAt + 1, lease15s);
    expect(e).toMatchObject({ token: d.token + 1, predecessorFinished: true });
  });

  it('frees a released lease at once, and the next holder still gets a larger token', async () => {
    const a = await store.acquire('released', 'a', t0, lease15s);
    await store.release(a);
    const b = await store.acquire('released', 'b', t0 + 1, lease15s);
    expect(b.token).toBe(a.token + 1);
  });

  it('lets exactly one of many simultaneous contenders acquire an expired lease', async () => {
    await store.acquire('race', 'old', t0, lease15s);
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => store.acquire('race', `c${i}`, t0 + 16_000, lease15s)),
    );
    const won = attempts.filter((a): a is PromiseFulfilledResult<AcquiredLease> => a.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(won[0].value.token).toBe(2);
    for (const lost of attempts.filter((a) => a.status === 'rejected')) {
      expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(LeaseHeldError);
    }
  });

  it('keeps the expiry out of the table TTL attribute, so TTL never deletes a lease and resets its token', async () => {
    await store.acquire('ttl', 'a', t0, lease15s);
    const out = await documents.send(new GetCommand({ TableName: dynamo.tableName, Key: leaseKey('ttl'), ConsistentRead: true }));
    expect(out.Item).toBeDefined();
    expect(out.Item).not.toHaveProperty(tableSchema.timeToLiveAttribute);
  });
});

describe('fenced writes to other items', () => {
  const key = { [tableSchema.partitionKey]: 'service#web', [tableSchema.sortKey]: 'status' };
  const target = (): FencedTarget => ({ documents, tableName: dynamo.tableName, key });

  async function writeStatus(lease: Lease, phase: string): Promise<void> {
    const fence = fencedCondition(lease);
    try {
      await documents.send(
        new UpdateCommand({
          TableName: dynamo.tableName,
          Key: key,
          ConditionExpression: fence.condition,
          UpdateExpression: `SET #phase = :phase, ${fence.set}`,
          ExpressionAttributeNames: { '#phase': 'phase', ...fence.names },
          ExpressionAttributeValues: { ':phase': phase, ...fence.values },
        }),
      );
    } catch (error) {
      throw (await fencedWriteRejection(error, lease, target())) ?? error;
    }
  }

  async function storedStatus(): Promise<Record<string, unknown> | undefined> {
    const out = await documents.send(new GetCommand({ TableName: dynamo.tableName, Key: key, ConsistentRead: true }));
    return out.Item;
  }

  it('rejects a former holder once the new holder has written the item', async () => {
    const a = await store.acquire('service#web', 'a', t0, lease15s);
    await writeStatus(a, 'Progressing');
    expect(await storedStatus()).toMatchObject({ phase: 'Progressing', fence: a.token });

    // a pauses past its lease; b takes over and writes
    const b = await store.acquire('service#web', 'b', t0 + 30_000, lease15s);
    await writeStatus(b, 'Available');

    const error = await rejection(writeStatus(a, 'Degraded'));
    expect(error).toBeInstanceOf(FencedWriteRejectedError);
    expect(error).toMatchObject({ token: a.token, fence: b.token });
    expect(await rejection(store.renew(a, t0 + 30_001))).toBeInstanceOf(LeaseLostError);
    expect(await storedStatus()).toMatchObject({ phase: 'Available', fence: b.token });
  });

  it('fences a put: the fence goes in the item and the condition joins the put’s own', async () => {
    const runKey = { [tableSchema.partitionKey]: 'job#nightly', [tableSchema.sortKey]: 'run#0001' };
    const put = (lease: Lease) => {
      const fence = fencedCondition(lease);
      return documents.send(
        new PutCommand({
          TableName: dynamo.tableName,
          Item: { ...runKey, outcome: 'started', ...fence.attributes },
          ConditionExpression: `attribute_not_exists(#pk) AND ${fence.condition}`,
          ExpressionAttributeNames: { '#pk': tableSchema.partitionKey, ...fence.names },
          ExpressionAttributeValues: { ...fence.values },
        }),
      );
    };
    const lease: Lease = { name: 'job', holder: 'a', token: 7, expiresAt: t0, durationMs: 15_000 };
    await put(lease);
    // the second put fails on its own condition (the run exists), not on the fence:
    // the mapping leaves that error alone
    const error = await rejection(put(lease));
    expect(await fencedWriteRejection(error, lease, { documents, tableName: dynamo.tableName, key: runKey })).toBeUndefined();
    // while a smaller token is reported as fenced out
    const stale = { ...lease, token: 6 };
    const staleError = await rejection(put(stale));
    expect(await fencedWriteRejection(staleError, stale, { documents, tableName: dynamo.tableName, key: runKey })).toBeInstanceOf(
      FencedWriteRejectedError,
    );
  });

  it('leaves errors that are not condition failures alone', async () => {
    const lease: Lease = { name: 'x', holder: 'a', token: 1, expiresAt: t0, durationMs: 15_000 };
    expect(await fencedWriteRejection(new Error('socket hang up'), lease, target())).toBeUndefined();
  });
});
