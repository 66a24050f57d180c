import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ListTasksCommandInput,
  type Task,
} from '@aws-sdk/client-ecs';
import { EcsContainerRuntime, toObservedTask, truncateReason } from '../../lib/aws/ecs-runtime.js';
import { ContainerRuntimeError } from '../../lib/aws/ecs-errors.js';
import { splitIntoRunTaskCalls } from '../../lib/aws/container-runtime.js';
import { taskDefinitionFor } from '../../lib/core/task-definition.js';

const cluster = 'corral';
const options = { cluster, subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'] };

function arn(n: number): string {
  return `arn:aws:ecs:us-east-1:123456789012:task/${cluster}/${n.toString(16).padStart(32, '0')}`;
}

function task(n: number, fields: Partial<Task> = {}): Task {
  return {
    taskArn: arn(n),
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/corral-web:1',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    createdAt: new Date(1_700_000_000_000 + n),
    ...fields,
  };
}

/**
 * A cluster ECS would page through: ListTasks answers 100 ARNs a page with an opaque token,
 * filtered by desiredStatus and startedBy; DescribeTasks answers the tasks it knows.
 */
function fakeCluster(ecs: ReturnType<typeof mockClient>, tasks: Task[]): void {
  const byArn = new Map(tasks.map((t) => [t.taskArn!, t]));
  ecs.on(ListTasksCommand).callsFake((input: ListTasksCommandInput) => {
    const matching = tasks.filter(
      (t) =>
        t.desiredStatus === (input.desiredStatus ?? 'RUNNING') &&
        (input.startedBy === undefined || t.startedBy === input.startedBy),
    );
    const start = input.nextToken ? Number(input.nextToken) : 0;
    const end = start + Math.min(input.maxResults ?? 100, 100);
    return {
      taskArns: matching.slice(start, end).map((t) => t.taskArn!),
      ...(end < matching.length ? { nextToken: String(end) } : {}),
    };
  });
  ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => {
    if (input.tasks.length > 100) throw new InvalidParameterException({ message: 'too many tasks', $metadata: {} });
    return {
      tasks: input.tasks.flatMap((a) => (byArn.has(a) ? [byArn.get(a)!] : [])),
      failures: input.tasks.filter((a) => !byArn.has(a)).map((a) => ({ arn: a, reason: 'MISSING' })),
    };
  });
}

describe('EcsContainerRuntime', () => {
  const client = new ECSClient({ region: 'us-east-1' });
  const ecs = mockClient(client);
  // A fresh runtime a test: it remembers the stopped tasks it has described.
  let runtime: EcsContainerRuntime;

  beforeEach(() => {
    ecs.reset();
    runtime = new EcsContainerRuntime(client, options);
  });

  describe('listTaskPage', () => {
    it('makes one ListTasks call of at most 100 and hands back the next token', async () => {
      fakeCluster(ecs, Array.from({ length: 250 }, (_, i) => task(i, { startedBy: `corral/s${i % 3}` })));
      const first = await runtime.listTaskPage({ desiredStatus: 'RUNNING' });
      expect(first.taskArns).toHaveLength(100);
      expect(first.nextToken).toBeDefined();
      const second = await runtime.listTaskPage({ desiredStatus: 'RUNNING' }, first.nextToken);
      const third = await runtime.listTaskPage({ desiredStatus: 'RUNNING' }, second.nextToken);
      expect(third.taskArns).toHaveLength(50);
      expect(third.nextToken).toBeUndefined();
      const lists = ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input);
      expect(lists).toHaveLength(3);
      expect(lists.every((i) => i.startedBy === undefined && i.maxResults === 100 && i.cluster === cluster)).toBe(true);
    });
  });

  describe('describeTasks', () => {
    it('describes 100 a call and a stopped task only once', async () => {
      const tasks = Array.from({ length: 150 }, (_, i) =>
        task(i, { startedBy: 'corral/a', desiredStatus: i < 100 ? 'RUNNING' : 'STOPPED', lastStatus: i < 100 ? 'RUNNING' : 'STOPPED' }),
      );
      fakeCluster(ecs, tasks);
      const arns = tasks.map((t) => t.taskArn!);
      expect(await runtime.describeTasks(arns)).toHaveLength(150);
      expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(2);
      expect(ecs.commandCalls(DescribeTasksCommand).every((c) => c.args[0].input.include?.includes('TAGS'))).toBe(true);
      ecs.resetHistory();
      const again = await runtime.describeTasks(arns);
      expect(again.filter((t) => t.lastStatus === 'STOPPED')).toHaveLength(50);
      // Only the 100 running ones are asked about again.
      expect(ecs.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input.tasks?.length)).toEqual([100]);
    });
  });

  describe('observe', () => {
    it('lists one service by startedBy only, RUNNING and STOPPED, in 100s', async () => {
      const tasks = [
        ...Array.from({ length: 250 }, (_, i) => task(i, { startedBy: 'corral/web' })),
        task(1000, { startedBy: 'corral/web', desiredStatus: 'STOPPED', lastStatus: 'STOPPED' }),
        task(2000, { startedBy: 'corral/other' }),
      ];
      fakeCluster(ecs, tasks);

      const observed = await runtime.observe('corral/web');

      expect(observed).toHaveLength(251);
      expect(observed.some((t) => t.taskArn === arn(2000))).toBe(false);
      const lists = ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input);
      expect(lists).toHaveLength(4);
      for (const input of lists) {
        expect(Object.keys(input).sort()).toEqual(
          ['cluster', 'desiredStatus', 'maxResults', 'startedBy', ...(input.nextToken ? ['nextToken'] : [])].sort(),
        );
      }
      expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(3);
    });

    it('describes a task that stopped between the two listings once', async () => {
      let listed = 0;
      ecs.on(ListTasksCommand).callsFake(() => {
        listed += 1;
        return { taskArns: [arn(1)] };
      });
      ecs.on(DescribeTasksCommand).resolves({ tasks: [task(1, { desiredStatus: 'STOPPED', lastStatus: 'STOPPED' })] });
      const observed = await runtime.observe('corral/web');
      expect(listed).toBe(2);
      expect(observed).toHaveLength(1);
      expect(ecs.commandCalls(DescribeTasksCommand)[0].args[0].input.tasks).toEqual([arn(1)]);
    });
  });

  describe('describeTasks', () => {
    it('leaves out tasks ECS has forgotten (MISSING)', async () => {
      fakeCluster(ecs, [task(1)]);
      const observed = await runtime.describeTasks([arn(1), arn(2)]);
      expect(observed.map((t) => t.taskArn)).toEqual([arn(1)]);
    });

    it('fails the observation on any other failure rather than hide a task', async () => {
      ecs.on(DescribeTasksCommand).resolves({ tasks: [], failures: [{ arn: arn(1), reason: 'INTERNAL_ERROR' }] });
      await expect(runtime.describeTasks([arn(1)])).rejects.toBeInstanceOf(ContainerRuntimeError);
    });

    it('makes no call for no tasks', async () => {
      expect(await runtime.describeTasks([])).toEqual([]);
      expect(ecs.calls()).toHaveLength(0);
    });
  });

  describe('runTasks', () => {
    it('launches on Fargate in the configured network with the caller’s token and tags', async () => {
      ecs.on(RunTaskCommand).resolves({
        tasks: [task(7, { startedBy: 'corral/web', tags: [{ key: 'corral:service', value: 'web' }] })],
        failures: [{ reason: 'RESOURCE:MEMORY', detail: 'no capacity' }],
      });

      const result = await runtime.runTasks({
        taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/corral-web:1',
        count: 2,
        startedBy: 'corral/web',
        clientToken: 'token-1',
        tags: { 'corral:service': 'web', 'corral:revision': '1' },
      });

      expect(ecs.commandCalls(RunTaskCommand)[0].args[0].input).toEqual({
        cluster,
        taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/corral-web:1',
        count: 2,
        startedBy: 'corral/web',
        clientToken: 'token-1',
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' },
        },
        tags: [
          { key: 'corral:service', value: 'web' },
          { key: 'corral:revision', value: '1' },
        ],
        enableECSManagedTags: true,
      });
      expect(result.tasks.map((t) => [t.taskArn, t.service])).toEqual([[arn(7), 'web']]);
      expect(result.failures).toEqual([{ reason: 'RESOURCE:MEMORY', detail: 'no capacity' }]);
    });

    it.each([0, 11, 2.5])('refuses count %s without calling ECS', async (count) => {
      await expect(
        runtime.runTasks({ taskDefinitionArn: 'td', count, startedBy: 'corral/web', clientToken: 't', tags: {} }),
      ).rejects.toThrow(RangeError);
      expect(ecs.calls()).toHaveLength(0);
    });

    it('assigns a public IP when configured to', async () => {
      ecs.on(RunTaskCommand).resolves({ tasks: [] });
      await new EcsContainerRuntime(client, { ...options, assignPublicIp: true }).runTasks({
        taskDefinitionArn: 'td',
        count: 1,
        startedBy: 'corral/web',
        clientToken: 't',
        tags: {},
      });
      expect(ecs.commandCalls(RunTaskCommand)[0].args[0].input.networkConfiguration?.awsvpcConfiguration?.assignPublicIp).toBe(
        'ENABLED',
      );
    });
  });

  describe('stopTask', () => {
    it('sends the reason, cut to 255 characters', async () => {
      ecs.on(StopTaskCommand).resolves({});
      await runtime.stopTask(arn(1), 'x'.repeat(300));
      expect(ecs.commandCalls(StopTaskCommand)[0].args[0].input).toEqual({ cluster, task: arn(1), reason: 'x'.repeat(255) });
    });

    it('counts a task ECS does not know as stopped', async () => {
      ecs.on(StopTaskCommand).rejects(
        new InvalidParameterException({ message: 'The referenced task was not found.', $metadata: { httpStatusCode: 400 } }),
      );
      await expect(runtime.stopTask(arn(1), 'scale down')).resolves.toBeUndefined();
    });

    it('reports other refusals', async () => {
      ecs.on(StopTaskCommand).rejects(new InvalidParameterException({ message: 'Task Identifier is invalid', $metadata: {} }));
      await expect(runtime.stopTask('nonsense', 'scale down')).rejects.toMatchObject({
        name: 'ContainerRuntimeError',
        operation: 'StopTask',
      });
    });
  });

  describe('registerTaskDefinition', () => {
    it('registers the built definition and answers its ARN', async () => {
      const input = taskDefinitionFor({
        service: 'web',
        revision: 2,
        template: { image: 'nginx', environment: {}, secrets: {}, cpu: 256, memory: 512 },
        executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
        taskRoleArn: 'arn:aws:iam::123456789012:role/task',
        logGroup: '/corral/web',
        region: 'us-east-1',
      });
      ecs.on(RegisterTaskDefinitionCommand).resolves({
        taskDefinition: { taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/corral-web:2' },
      });
      expect(await runtime.registerTaskDefinition(input)).toBe('arn:aws:ecs:us-east-1:123456789012:task-definition/corral-web:2');
      expect(ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input).toEqual(input);
    });
  });
});

describe('toObservedTask', () => {
  it('normalises tags, times and the essential container', () => {
    const observed = toObservedTask(
      task(1, {
        startedBy: 'corral/web',
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        healthStatus: 'UNHEALTHY',
        startedAt: new Date(1_700_000_001_000),
        stoppingAt: new Date(1_700_000_002_000),
        stoppedAt: new Date(1_700_000_003_000),
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        tags: [
          { key: 'corral:service', value: 'web' },
          { key: 'corral:revision', value: '12' },
          { key: 'aws:ecs:clusterName', value: cluster },
        ],
        containers: [
          { name: 'sidecar', exitCode: 0 },
          { name: 'app', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
        ],
      }),
    );
    expect(observed).toEqual({
      taskArn: arn(1),
      service: 'web',
      revision: 12,
      startedBy: 'corral/web',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/corral-web:1',
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      healthStatus: 'UNHEALTHY',
      createdAt: 1_700_000_000_001,
      startedAt: 1_700_000_001_000,
      stoppingAt: 1_700_000_002_000,
      stoppedAt: 1_700_000_003_000,
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      exitCode: 137,
      containerReason: 'OutOfMemoryError: Container killed due to memory usage',
    });
  });

  it('reads a job task and defaults health to UNKNOWN', () => {
    const observed = toObservedTask(task(2, { tags: [{ key: 'corral:job', value: 'nightly' }] }));
    expect(observed.job).toBe('nightly');
    expect(observed.service).toBeUndefined();
    expect(observed.healthStatus).toBe('UNKNOWN');
  });

  it('ignores a revision tag that is not a number', () => {
    expect(toObservedTask(task(3, { tags: [{ key: 'corral:revision', value: 'v2' }] })).revision).toBeUndefined();
  });
});

describe('splitIntoRunTaskCalls', () => {
  it.each([
    [0, []],
    [1, [1]],
    [10, [10]],
    [25, [10, 10, 5]],
    [30, [10, 10, 10]],
  ])('%i → %j', (count, calls) => {
    expect(splitIntoRunTaskCalls(count)).toEqual(calls);
  });

  it('covers the count in ceil(count/10) calls of 1..10', () => {
    for (let count = 0; count <= 205; count++) {
      const calls = splitIntoRunTaskCalls(count);
      expect(calls.reduce((a, b) => a + b, 0)).toBe(count);
      expect(calls).toHaveLength(Math.ceil(count / 10));
      expect(calls.every((c) => c >= 1 && c <= 10)).toBe(true);
    }
  });
});

describe('truncateReason', () => {
  it('keeps short reasons and never splits a surrogate pair', () => {
    expect(truncateReason('scale down')).toBe('scale down');
    const cut = truncateReason(`${'a'.repeat(254)}😀tail`);
    expect(cut).toBe('a'.repeat(254));
  });
});
