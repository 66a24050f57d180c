import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../../lib/aws/table-setup.js';
import { CreateClusterCommand, DescribeTaskDefinitionCommand, ListTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
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
