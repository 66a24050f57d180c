import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { globMatches } from '../../lib/local/aws/faults.js';
import { type Harness, startHarness } from './local-aws-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const post = (path: string, body: unknown) =>
  fetch(`${h.aws.url}${path}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });

test('image rules are validated, listed, and the latest matching rule wins', async () => {
  expect((await post('/_corral/images', { image: 'web:*', behavior: 'crash', exitCode: 3 })).status).toBe(200);
  expect((await post('/_corral/images', { image: 'web:2', behavior: 'unhealthy' })).status).toBe(200);
  const listed = (await (await fetch(`${h.aws.url}/_corral/images`)).json()) as { rules: { image: string; behavior: string }[] };
  expect(listed.rules.map((r) => [r.image, r.behavior])).toEqual([
    ['web:*', 'crash'],
    ['web:2', 'unhealthy'],
  ]);

  const bad = await post('/_corral/images', { image: 'web:*', behavior: 'explode' });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({ __type: 'ValidationException' });
  expect((await post('/_corral/images', { image: 'web:*', behavior: 'crash', exitCode: 300 })).status).toBe(400);
  expect((await post('/_corral/faults', { throttle: 1.5 })).status).toBe(400);
  expect((await post('/_corral/faults', 'not json')).status).toBe(400);
  expect((await fetch(`${h.aws.url}/_corral/nothing`)).status).toBe(404);
});

test('globs match whole image names with * as any run of characters', () => {
  expect(globMatches('nginx:*', 'nginx:1.27')).toBe(true);
  expect(globMatches('nginx:*', 'my/nginx:1.27')).toBe(false);
  expect(globMatches('*/worker:?', 'acme/worker:?')).toBe(true);
  expect(globMatches('*/worker:?', 'acme/worker:1')).toBe(false);
  expect(globMatches('registry.example.com/app:1.0', 'registry.example.com/app:1.0')).toBe(true);
  expect(globMatches('registry.example.com/app:1.0', 'registryXexample.com/app:1.0')).toBe(false);
});

test('requests without a known X-Amz-Target get an AWS-shaped error', async () => {
  const response = await fetch(h.aws.url, { method: 'POST', headers: { 'x-amz-target': 'Nope_2020.DoIt' }, body: '{}' });
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
});

test('GET /_corral/stats counts every request by service:Operation; DELETE starts again from zero', async () => {
  expect((await fetch(`${h.aws.url}/_corral/stats`, { method: 'DELETE' })).status).toBe(200);
  await h.ecs.send(new ListTasksCommand({ cluster: 'corral' }));
  await h.ecs.send(new ListTasksCommand({ cluster: 'corral' }));
  await h.dynamo.send(new ListTablesCommand({}));
  const stats = (await (await fetch(`${h.aws.url}/_corral/stats`)).json()) as { byOperation: Record<string, number> };
  expect(stats.byOperation).toEqual({ 'ecs:ListTasks': 2, 'dynamodb:ListTables': 1 });
  const reset = (await (await fetch(`${h.aws.url}/_corral/stats`, { method: 'DELETE' })).json()) as { byOperation: Record<string, number> };
  expect(reset.byOperation).toEqual({});
  expect((await (await fetch(`${h.aws.url}/_corral/stats`)).json()) as unknown).toMatchObject({ byOperation: {} });
  expect((await fetch(`${h.aws.url}/_corral/stats`, { method: 'POST' })).status).toBe(404);
});
