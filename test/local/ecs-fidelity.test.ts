import {
  ClientException,
  ClusterNotFoundException,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  TagResourceCommand,
  DeregisterTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  DescribeClustersCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { capacityFailureReason } from '../../lib/local/aws/index.js';
import { awsvpc, type Harness, seededRandom, startHarness, webDefinition } from './local-aws-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ random: seededRandom(7) });
  await h.ecs.send(new RegisterTaskDefinitionCommand({ ...webDefinition, tags: [{ key: 'team', value: 'platform' }] }));
});
afterAll(() => h.close());

const run = (input: Partial<ConstructorParameters<typeof RunTaskCommand>[0]> = {}) =>
  h.ecs.send(new RunTaskCommand({ cluster: 'corral', taskDefinition: 'web', networkConfiguration: awsvpc, ...input }));

describe('ECS through the SDK', () => {
  test('RunTask answers PROVISIONING tasks with the group, startedBy, tags and overrides asked for', async () => {
    const out = await run({
      count: 3,
      startedBy: 'corral/web-7',
      tags: [{ key: 'corral:service', value: 'web' }],
      enableECSManagedTags: true,
      propagateTags: 'TASK_DEFINITION',
      overrides: { containerOverrides: [{ name: 'app', environment: [{ name: 'REVISION', value: '7' }] }] },
    });
    expect(out.failures).toEqual([]);
    expect(out.tasks).toHaveLength(3);
    const task = out.tasks![0];
    expect(task.taskArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:task\/corral\/[0-9a-f]{32}$/);
    expect(task).toMatchObject({
      clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/corral',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1',
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      group: 'family:web',
      startedBy: 'corral/web-7',
      launchType: 'FARGATE',
      healthStatus: 'UNKNOWN',
      cpu: '256',
      memory: '512',
    });
    expect(task.createdAt).toEqual(new Date(h.clock.now()));
    expect(task.overrides?.containerOverrides?.[0].environment).toEqual([{ name: 'REVISION', value: '7' }]);
    expect(new Map(task.tags!.map((t) => [t.key, t.value]))).toEqual(
      new Map([
        ['team', 'platform'],
        ['corral:service', 'web'],
        ['aws:ecs:clusterName', 'corral'],
      ]),
    );
    expect(task.containers?.[0]).toMatchObject({ name: 'app', image: 'nginx:1.27', lastStatus: 'PENDING', healthStatus: 'UNKNOWN' });
  });

  test('the same clientToken returns the same tasks and launches nothing new', async () => {
    const before = await h.ecs.send(new ListTasksCommand({ cluster: 'corral', family: 'web' }));
    const first = await run({ clientToken: 'token-123', count: 2 });
    const second = await run({ clientToken: 'token-123', count: 2 });
    expect(second.tasks!.map((t) => t.taskArn)).toEqual(first.tasks!.map((t) => t.taskArn));
    const after = await h.ecs.send(new ListTasksCommand({ cluster: 'corral', family: 'web' }));
    expect(after.taskArns!.length).toBe(before.taskArns!.length + 2);
  });

  test('DescribeTasks reports unknown tasks as MISSING failures and tags only when asked', async () => {
    const [task] = (await run({ tags: [{ key: 'k', value: 'v' }] })).tasks!;
    const unknown = 'arn:aws:ecs:us-east-1:000000000000:task/corral/0123456789abcdef0123456789abcdef';
    const plain = await h.ecs.send(new DescribeTasksCommand({ cluster: 'corral', tasks: [task.taskArn!, unknown] }));
    expect(plain.tasks!.map((t) => t.taskArn)).toEqual([task.taskArn]);
    expect(plain.tasks![0].tags).toEqual([]);
    expect(plain.failures).toEqual([{ arn: unknown, reason: 'MISSING' }]);
    const tagged = await h.ecs.send(new DescribeTasksCommand({ cluster: 'corral', tasks: [task.taskArn!.split('/').pop()!], include: ['TAGS'] }));
    expect(tagged.tasks![0].tags).toEqual([{ key: 'k', value: 'v' }]);
  });

  test('ListTasks pages with an opaque nextToken through every task exactly once', async () => {
    await run({ count: 10, startedBy: 'pager' });
    await run({ count: 5, startedBy: 'pager' });
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const out = await h.ecs.send(new ListTasksCommand({ cluster: 'corral', startedBy: 'pager', maxResults: 4, nextToken }));
      seen.push(...out.taskArns!);
      nextToken = out.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(15);
    await expect(h.ecs.send(new ListTasksCommand({ cluster: 'corral', nextToken: 'garbage' }))).rejects.toBeInstanceOf(InvalidParameterException);
  });

  test('StopTask stops with the reason given; stopped tasks list under desiredStatus STOPPED', async () => {
    const [task] = (await run({ startedBy: 'stopper' })).tasks!;
    const out = await h.ecs.send(new StopTaskCommand({ cluster: 'corral', task: task.taskArn!, reason: 'scaled in' }));
    expect(out.task).toMatchObject({ desiredStatus: 'STOPPED', stopCode: 'UserInitiated', stoppedReason: 'scaled in' });
    await h.bus.runFor(h.clock, 10_000);
    const running = await h.ecs.send(new ListTasksCommand({ cluster: 'corral', startedBy: 'stopper' }));
    const stopped = await h.ecs.send(new ListTasksCommand({ cluster: 'corral', startedBy: 'stopper', desiredStatus: 'STOPPED' }));
    expect(running.taskArns).toEqual([]);
    expect(stopped.taskArns).toEqual([task.taskArn]);
    const [described] = (await h.ecs.send(new DescribeTasksCommand({ cluster: 'corral', tasks: [task.taskArn!] }))).tasks!;
    expect(described.lastStatus).toBe('STOPPED');
    expect(described.stoppedAt).toBeInstanceOf(Date);
  });

  test('unknown task, cluster and task definition raise the exceptions ECS raises', async () => {
    await expect(h.ecs.send(new StopTaskCommand({ cluster: 'corral', task: 'ffffffffffffffffffffffffffffffff' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'The referenced task was not found.',
    });
    await expect(run({ cluster: 'nope' })).rejects.toBeInstanceOf(ClusterNotFoundException);
    await expect(run({ taskDefinition: 'missing' })).rejects.toBeInstanceOf(ClientException);
    await expect(h.ecs.send(new DescribeTasksCommand({ cluster: 'nope', tasks: ['x'] }))).rejects.toBeInstanceOf(ClusterNotFoundException);
  });

  test('invalid parameters are refused with InvalidParameterException', async () => {
    await expect(run({ count: 11 })).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(run({ count: 0 })).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(run({ startedBy: 'has:colon' })).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(run({ startedBy: 'x'.repeat(129) })).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(run({ clientToken: 'x'.repeat(65) })).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(run({ networkConfiguration: undefined })).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(run({ overrides: { containerOverrides: [{ name: 'sidecar' }] } })).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(run({ tags: [{ key: 'aws:reserved', value: 'x' }] })).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(h.ecs.send(new ListTasksCommand({ cluster: 'corral', startedBy: 'a', family: 'web' }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await expect(h.ecs.send(new ListTasksCommand({ cluster: 'corral', maxResults: 101 }))).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(h.ecs.send(new DescribeTasksCommand({ cluster: 'corral', tasks: Array(101).fill('x') }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });

  test('partial RunTask failures come back in failures[] with HTTP 200', async () => {
    await fetch(`${h.aws.url}/_corral/faults`, { method: 'POST', body: JSON.stringify({ runTaskFailure: 0.5 }) });
    try {
      const out = await run({ count: 10, startedBy: 'partial' });
      expect(out.tasks!.length + out.failures!.length).toBe(10);
      expect(out.failures!.length).toBeGreaterThan(0);
      expect(out.tasks!.length).toBeGreaterThan(0);
      expect(out.failures![0]).toEqual({ reason: capacityFailureReason });
    } finally {
      await fetch(`${h.aws.url}/_corral/faults`, { method: 'POST', body: JSON.stringify({ runTaskFailure: 0 }) });
    }
  });

  test('task definitions register revisions, describe with tags, deregister, and list', async () => {
    const second = await h.ecs.send(new RegisterTaskDefinitionCommand(webDefinition));
    expect(second.taskDefinition).toMatchObject({ family: 'web', revision: 2, status: 'ACTIVE' });
    const described = await h.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:1', include: ['TAGS'] }));
    expect(described.tags).toEqual([{ key: 'team', value: 'platform' }]);
    expect(described.taskDefinition?.containerDefinitions?.[0].healthCheck).toMatchObject({ interval: 10, retries: 3 });
    await h.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:2' }));
    const active = await h.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web' }));
    expect(active.taskDefinitionArns).toEqual(['arn:aws:ecs:us-east-1:000000000000:task-definition/web:1']);
    await expect(run({ taskDefinition: 'web:2' })).rejects.toMatchObject({ name: 'ClientException' });
    await expect(
      h.ecs.send(new RegisterTaskDefinitionCommand({ family: 'bad', containerDefinitions: [{ name: 'x', image: '' }] })),
    ).rejects.toBeInstanceOf(ClientException);
  });

  test('tags on tasks and clusters through TagResource and ListTagsForResource', async () => {
    const [task] = (await run()).tasks!;
    await h.ecs.send(new TagResourceCommand({ resourceArn: task.taskArn!, tags: [{ key: 'owner', value: 'me' }] }));
    const tags = await h.ecs.send(new ListTagsForResourceCommand({ resourceArn: task.taskArn! }));
    expect(tags.tags).toEqual([{ key: 'owner', value: 'me' }]);
    await expect(
      h.ecs.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:ecs:us-east-1:000000000000:task/corral/nope' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const clusters = await h.ecs.send(new DescribeClustersCommand({ clusters: ['corral', 'ghost'] }));
    expect(clusters.clusters?.[0]).toMatchObject({ clusterName: 'corral', status: 'ACTIVE' });
    expect(clusters.failures).toEqual([{ arn: 'ghost', reason: 'MISSING' }]);
  });
});
