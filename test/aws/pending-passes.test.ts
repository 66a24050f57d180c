import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLeaseStore } from '../../lib/aws/lease-store.js';
import { PendingPasses } from '../../lib/aws/pending-passes.js';
import { startTestDynamo, type TestDynamo } from '../support/dynalite.js';

describe('pending passes on a lease', () => {
  let dynamo: TestDynamo;
  let leases: DynamoLeaseStore;
  let passes: PendingPasses;
  beforeAll(async () => {
    dynamo = await startTestDynamo();
    const documents = DynamoDBDocumentClient.from(dynamo.client);
    leases = new DynamoLeaseStore(documents, dynamo.tableName);
    passes = new PendingPasses(documents, dynamo.tableName);
  });
  afterAll(async () => {
    await dynamo.close();
  });

  it('keeps the lease while a pass is pending, then releases it', async () => {
    const lease = await leases.acquire('reconcile/web', 'a', 1_000, { leaseDurationMs: 60_000 });
    expect(await passes.releaseUnlessPending(lease)).toBe(true);

    const again = await leases.acquire('reconcile/web', 'a', 2_000, { leaseDurationMs: 60_000 });
    await passes.request('reconcile/web');
    expect(await passes.releaseUnlessPending(again)).toBe(false);
    expect((await leases.read('reconcile/web'))?.expiresAt).toBe(62_000);
    expect(await passes.take(again)).toBe(true);
    expect(await passes.take(again)).toBe(false);
    expect(await passes.releaseUnlessPending(again)).toBe(true);
    const next = await leases.acquire('reconcile/web', 'b', 3_000, { leaseDurationMs: 60_000 });
    expect(next.token).toBe(again.token + 1);
  });

  it('does not let a superseded holder take or release', async () => {
    const first = await leases.acquire('reconcile/api', 'a', 1_000, { leaseDurationMs: 1_000 });
    const second = await leases.acquire('reconcile/api', 'b', 5_000, { leaseDurationMs: 60_000 });
    await passes.request('reconcile/api');
    expect(await passes.take(first)).toBe(false);
    expect(await passes.releaseUnlessPending(first)).toBe(false);
    expect(await passes.take(second)).toBe(true);
  });

  it('ignores a request for a lease nobody ever held', async () => {
    await passes.request('reconcile/nobody');
    expect(await leases.read('reconcile/nobody')).toBeUndefined();
  });
});
