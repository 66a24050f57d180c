import { ConditionalCheckFailedException, DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { fencedWriteRejection } from '../../lib/aws/lease-fence.js';
import { FencedWriteRejectedError, LeaseHeldError, LeaseLostError, LeaseStoreError } from '../../lib/aws/lease-errors.js';
import { DynamoLeaseStore } from '../../lib/aws/lease-store.js';
import type { Lease } from '../../lib/core/lease/index.js';

// DynamoDB returns the item that failed a condition (ReturnValuesOnConditionCheckFailure:
// ALL_OLD); dynalite does not, so this path is exercised against a mocked client.
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const dynamo = mockClient(documents);
const store = new DynamoLeaseStore(documents, 'corral');
const meta = { $metadata: {} };
const lease: Lease = { name: 'dispatcher', holder: 'a', token: 3, expiresAt: 1_015_000, durationMs: 15_000 };

const held = new ConditionalCheckFailedException({
  ...meta,
  message: 'The conditional request failed',
  Item: {
    pk: { S: 'lease#dispatcher' },
    sk: { S: 'lease' },
    holder: { S: 'b' },
    token: { N: '4' },
    leaseExpiresAt: { N: '1030000' },
    leaseDurationMs: { N: '15000' },
    fence: { N: '4' },
  },
});

beforeEach(() => dynamo.reset());

describe('DynamoLeaseStore error mapping', () => {
  it('asks for the failing item and reports its holder without reading it again', async () => {
    dynamo.on(UpdateCommand).rejects(held);
    const error = await store.acquire('dispatcher', 'a', 1_020_000, { leaseDurationMs: 15_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeaseHeldError);
    expect((error as LeaseHeldError).current).toEqual({
      name: 'dispatcher',
      holder: 'b',
      token: 4,
      expiresAt: 1_030_000,
      durationMs: 15_000,
    });
    expect(dynamo.commandCalls(UpdateCommand)[0].args[0].input.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('maps a lost renewal to LeaseLostError naming the successor', async () => {
    dynamo.on(UpdateCommand).rejects(held);
    const error = await store.renew(lease, 1_020_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeaseLostError);
    expect((error as LeaseLostError).message).toBe(
      'lease dispatcher (token 3) was lost by a: now held by b with token 4',
    );
  });

  it('maps throttling and other failures to LeaseStoreError with the cause', async () => {
    const throttled = new ProvisionedThroughputExceededException({ ...meta, message: 'slow down' });
    dynamo.on(UpdateCommand).rejects(throttled);
    const error = await store.acquire('dispatcher', 'a', 0, { leaseDurationMs: 15_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeaseStoreError);
    expect((error as LeaseStoreError).cause).toBe(throttled);
    expect((error as Error).message).toContain('ProvisionedThroughputExceededException');
  });

  it('reads the fence from the failing item for a fenced write', async () => {
    const rejected = await fencedWriteRejection(held, lease, { documents, tableName: 'corral', key: { pk: 'service#web', sk: 'status' } });
    expect(rejected).toBeInstanceOf(FencedWriteRejectedError);
    expect(rejected).toMatchObject({ token: 3, fence: 4, item: 'service#web / status' });
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });
});
