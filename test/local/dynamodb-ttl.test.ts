import { DescribeTimeToLiveCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureTable } from '../../lib/aws/table-setup.js';
import { type Harness, startHarness } from './local-aws-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await ensureTable(h.dynamo, 'corral');
});
afterAll(() => h.close());

const seconds = (ms: number) => String(Math.floor(ms / 1000));

test('the table gets TTL on expiresAt, and items past it are deleted within a minute of clock time', async () => {
  expect((await h.dynamo.send(new DescribeTimeToLiveCommand({ TableName: 'corral' }))).TimeToLiveDescription)
    .toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  const now = h.clock.now();
  const key = (sk: string) => ({ pk: { S: 'service#web' }, sk: { S: sk } });
  await h.dynamo.send(new PutItemCommand({ TableName: 'corral', Item: { ...key('event#1'), expiresAt: { N: seconds(now + 30_000) } } }));
  await h.dynamo.send(new PutItemCommand({ TableName: 'corral', Item: { ...key('event#2'), expiresAt: { N: seconds(now + 600_000) } } }));
  await h.dynamo.send(new PutItemCommand({ TableName: 'corral', Item: { ...key('spec') } }));
  const exists = async (sk: string) => (await h.dynamo.send(new GetItemCommand({ TableName: 'corral', Key: key(sk), ConsistentRead: true }))).Item !== undefined;

  // Not expired yet: nothing goes, even when the minute has passed.
  h.clock.advance(20_000);
  await h.dynamo.send(new GetItemCommand({ TableName: 'corral', Key: key('spec') }));
  await h.bus.idle();
  expect(await exists('event#1')).toBe(true);

  // Past its expiresAt and a minute after the last look: the next request starts the expiry.
  h.clock.advance(45_000);
  await h.dynamo.send(new GetItemCommand({ TableName: 'corral', Key: key('spec') }));
  await h.bus.idle();
  expect(await exists('event#1')).toBe(false);
  expect(await exists('event#2')).toBe(true);
  expect(await exists('spec')).toBe(true);
});
