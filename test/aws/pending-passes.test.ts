import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLeaseStore } from '../../lib/aws/lease-store.js';
import { startTestDynamo, type TestDynamo } from '../support/dynalite.js';

describe('pending passes on a lease', () => {
  let dynamo: TestDynamo;
  let leases: DynamoLeaseStore;
  beforeAll(async () => {
    dynamo = await startTestDynamo();
    const documents = DynamoDBDocumentClient.from(dynamo.client);
    leases = new DynamoLeaseStore(documents, dynamo.tableName);
  });
  afterAll(async () => {
    await dynamo.close();
  });

  it('keeps the lease while a pass is pending, then releases it', async () => {
    const lease = await leases.acquire('reconcile/web', 'a', 1_000, { leaseDurationMs: 60_000 });
    expect(await leases.releaseUnlessPending(lease)).toBe(true);

    const again = await leases.acquire('reconcile/web', 'a', 2_000, { leaseDurationMs: 60_000 });
    expect(await leases.requestPassWhileHeld('reconcile/web', 2_500)).toBe(true);
    expect(await leases.releaseUnlessPending(again)).toBe(false);
    expect((await leases.read('reconcile/web'))?.expiresAt).toBe(62_000);
    expect(await leases.takePass(again)).toBe(true);
    expect(await leases.takePass(again)).toBe(false);
    expect(await leases.releaseUnlessPending(again)).toBe(true);
    const next = await leases.acquire('reconcile/web', 'b', 3_000, { leaseDurationMs: 60_000 });
    expect(next.token).toBe(again.token + 1);
  });

  it('does not let a superseded holder take or release', async () => {
    const first = await leases.acquire('reconcile/api', 'a', 1_000, { leaseDurationMs: 1_000 });
    const second = await leases.acquire('reconcile/api', 'b', 5_000, { leaseDurationMs: 60_000 });
    expect(await leases.requestPassWhileHeld('reconcile/api', 5_500)).toBe(true);
    expect(await leases.takePass(first)).toBe(false);
    expect(await leases.releaseUnlessPending(first)).toBe(false);
    expect(await leases.takePass(second)).toBe(true);
  });

  it('refuses a request for a lease nobody holds: never held, released or expired', async () => {
    expect(await leases.requestPassWhileHeld('reconcile/nobody', 1_000)).toBe(false);
    expect(await leases.read('reconcile/nobody')).toBeUndefined();
    const lease = await leases.acquire('reconcile/free', 'a', 1_000, { leaseDurationMs: 10_000 });
    expect(await leases.requestPassWhileHeld('reconcile/free', 11_000)).toBe(false);
    expect(await leases.releaseUnlessPending(lease)).toBe(true);
    expect(await leases.requestPassWhileHeld('reconcile/free', 2_000)).toBe(false);
  });
});
