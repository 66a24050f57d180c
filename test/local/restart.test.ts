import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../../lib/aws/table-setup.js';
import {
  CreateClusterCommand, DeregisterTaskDefinitionCommand, DescribeClustersCommand, DescribeTaskDefinitionCommand, ListTasksCommand,
  RegisterTaskDefinitionCommand, RunTaskCommand, TagResourceCommand,
} from '@aws-sdk/client-ecs';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { awsvpc, type Harness, startHarness, webDefinition } from './local-aws-harness.js';

let dataDir: string;
let h: Harness | undefined;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'corral-local-aws-'));
});
afterEach(async () => {
  await h?.close();
  await rm(dataDir, { recursive: true, force: true });
});

test('with dataDir, table items, task definitions, clusters and secrets survive a restart; tasks do not', async () => {
  const key = { pk: { S: 'service#web' }, sk: { S: 'spec' } };
  h = await startHarness({ dataDir, clusters: [] });
  await h.ecs.send(new CreateClusterCommand({ clusterName: 'kept' }));
  await ensureTable(h.dynamo, 'corral');
  await h.dynamo.send(new PutItemCommand({ TableName: 'corral', Item: { ...key, generation: { N: '7' } } }));
  await h.ecs.send(new RegisterTaskDefinitionCommand(webDefinition));
  await h.ecs.send(new RunTaskCommand({ cluster: 'kept', taskDefinition: 'web', networkConfiguration: awsvpc }));
  const secret = await h.secrets.send(new CreateSecretCommand({ Name: 'kept', SecretString: 'value' }));
  await h.close();

  h = await startHarness({ dataDir, clusters: [] });
  const item = await h.dynamo.send(new GetItemCommand({ TableName: 'corral', Key: key }));
  expect(item.Item?.generation).toEqual({ N: '7' });
  const definition = await h.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
  expect(definition.taskDefinition).toMatchObject({ family: 'web', revision: 1 });
  expect((await h.ecs.send(new ListTasksCommand({ cluster: 'kept' }))).taskArns).toEqual([]);
  const value = await h.secrets.send(new GetSecretValueCommand({ SecretId: 'kept' }));
  expect(value).toMatchObject({ ARN: secret.ARN, SecretString: 'value' });
  // The next revision continues the numbering.
  const second = await h.ecs.send(new RegisterTaskDefinitionCommand(webDefinition));
  expect(second.taskDefinition?.revision).toBe(2);
});

test('task definitions are journalled a line per change, not rewritten whole, and compacted as they pile up', async () => {
  h = await startHarness({ dataDir, clusters: [] });
  await h.ecs.send(new CreateClusterCommand({ clusterName: 'kept' }));
  const journal = join(dataDir, 'ecs.jsonl');
  const lines = async () => (await readFile(journal, 'utf8')).split('\n').filter((line) => line !== '').length;
  await h.ecs.send(new RegisterTaskDefinitionCommand(webDefinition));
  const before = await readFile(journal, 'utf8');
  await h.ecs.send(new RegisterTaskDefinitionCommand(webDefinition));
  // The second registration appended its own revision and left the earlier lines as they were.
  expect((await readFile(journal, 'utf8')).startsWith(before)).toBe(true);
  expect(await lines()).toBe(3);
  await h.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:1' }));
  const web2 = (await h.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:2' }))).taskDefinition!.taskDefinitionArn!;
  for (let i = 0; i < 100; i++) await h.ecs.send(new TagResourceCommand({ resourceArn: web2, tags: [{ key: 'n', value: String(i) }] }));
  // 104 changes to 3 records: rewritten compactly once the journal passed twice the records + 64.
  expect(await lines()).toBeLessThan(80);
  await h.close();

  h = await startHarness({ dataDir, clusters: [] });
  const first = await h.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1' }));
  expect(first.taskDefinition?.status).toBe('INACTIVE');
  const second = await h.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:2', include: ['TAGS'] }));
  expect(second.tags).toEqual([{ key: 'n', value: '99' }]);
  expect((await h.ecs.send(new RegisterTaskDefinitionCommand(webDefinition))).taskDefinition?.revision).toBe(3);
  expect((await h.ecs.send(new DescribeClustersCommand({ clusters: ['kept'] }))).clusters).toHaveLength(1);
});

test('an ecs.json from before the journal is read once and carried over', async () => {
  const arn = 'arn:aws:ecs:us-east-1:000000000000:cluster/old';
  await writeFile(join(dataDir, 'ecs.json'), JSON.stringify({ clusters: [{ name: 'old', arn, tags: [], createdAt: 0 }], taskDefinitions: [] }));
  h = await startHarness({ dataDir, clusters: [] });
  expect((await h.ecs.send(new DescribeClustersCommand({ clusters: ['old'] }))).clusters?.[0]?.clusterArn).toBe(arn);
  expect(await readFile(join(dataDir, 'ecs.jsonl'), 'utf8')).toContain(arn);
});
