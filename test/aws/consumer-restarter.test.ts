import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumerRestarter } from '../../lib/aws/consumer-restarter.js';
import { createStateStore, type StateStore } from '../../lib/aws/state-store.js';
import { validateServiceSpec } from '../../lib/core/spec/index.js';
import { VirtualClock } from '../../lib/local/virtual-clock.js';
import { startTestDynamo, type TestDynamo } from '../support/dynalite.js';

function spec(input: unknown) {
  const result = validateServiceSpec(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

describe('restarting the consumers of a rotated secret', () => {
  let dynamo: TestDynamo;
  let store: StateStore;
  beforeAll(async () => {
    dynamo = await startTestDynamo();
    store = createStateStore(DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } }), dynamo.tableName, new VirtualClock());
    await store.putService('orders', spec({ image: 'orders:1', replicas: 2, secrets: { DB: 'db-password' } }));
    await store.putService('billing', spec({ image: 'billing:1', replicas: 1, secrets: { DB: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:db-password-AbCdEf' } }));
    await store.putService('other', spec({ image: 'other:1', replicas: 1, secrets: { KEY: 'api-key' } }));
  });
  afterAll(async () => {
    await dynamo.close();
  });

  it('gives every consumer (by name or ARN) one new revision per rotation, even when retried', async () => {
    const restarter = createConsumerRestarter(store);
    expect(await restarter.restartConsumers('db-password', 'secret db-password rotated', 'version-1')).toEqual(['billing', 'orders']);
    expect(await restarter.restartConsumers('db-password', 'secret db-password rotated', 'version-1')).toEqual(['billing', 'orders']);
    for (const name of ['orders', 'billing']) {
      const record = await store.getService(name);
      expect(record?.revision).toBe(2);
      expect((await store.getRevision(name, 2))?.reason).toBe('secret db-password rotated');
    }
    expect((await store.getService('other'))?.revision).toBe(1);

    await restarter.restartConsumers('db-password', 'secret db-password rotated', 'version-2');
    expect((await store.getService('orders'))?.revision).toBe(3);
  });
});
