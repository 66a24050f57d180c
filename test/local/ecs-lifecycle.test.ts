import { DescribeTasksCommand, ListTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand, type Task } from '@aws-sdk/client-ecs';
import type { EventBridgeEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { awsvpc, type Harness, startHarness, webDefinition } from './local-aws-harness.js';

interface TaskChange {
  taskArn: string;
  lastStatus: string;
  desiredStatus: string;
  version: number;
  stopCode?: string;
  stoppedReason?: string;
  group: string;
  startedBy?: string;
  createdAt: string;
  startedAt?: string;
  stoppedAt?: string;
  containers: { name: string; lastStatus: string; exitCode?: number; reason?: string }[];
}

let h: Harness;
let events: EventBridgeEvent<string, TaskChange>[];
let start: number;

beforeEach(async () => {
  h = await startHarness();
  events = [];
  h.bus.subscribe({ source: ['aws.ecs'], 'detail-type': ['ECS Task State Change'] }, (e: EventBridgeEvent<string, TaskChange>) => void events.push(e));
  await h.ecs.send(new RegisterTaskDefinitionCommand(webDefinition));
  await h.ecs.send(
    new RegisterTaskDefinitionCommand({ ...webDefinition, family: 'batch', containerDefinitions: [{ name: 'job', image: 'batch:1', essential: true }] }),
  );
  start = h.clock.now();
});
afterEach(() => h.close());

async function setImage(rule: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${h.aws.url}/_corral/images`, { method: 'POST', body: JSON.stringify(rule) });
  expect(response.status).toBe(200);
}

async function launch(family = 'web'): Promise<string> {
  const out = await h.ecs.send(new RunTaskCommand({ cluster: 'corral', taskDefinition: family, networkConfiguration: awsvpc, startedBy: 'test' }));
  return out.tasks![0].taskArn!;
}

async function describeTask(arn: string): Promise<Task> {
  const out = await h.ecs.send(new DescribeTasksCommand({ cluster: 'corral', tasks: [arn] }));
  return out.tasks![0];
}

/** [seconds since start, lastStatus] of each state change event for the task. */
function timeline(arn: string): [number, string][] {
  return events.filter((e) => e.detail.taskArn === arn).map((e) => [(Date.parse(e.time) - start) / 1000, e.detail.lastStatus]);
}

describe('task lifecycle on the clock', () => {
  test('a healthy task reaches RUNNING after provisioning and pull, then HEALTHY after one check interval', async () => {
    const arn = await launch();
    await h.bus.runFor(h.clock, 2_999);
    expect((await describeTask(arn)).lastStatus).toBe('PENDING');
    await h.bus.runFor(h.clock, 1);
    const running = await describeTask(arn);
    expect(running).toMatchObject({ lastStatus: 'RUNNING', healthStatus: 'UNKNOWN' });
    expect(running.startedAt).toEqual(new Date(start + 3_000));
    expect(running.pullStartedAt).toEqual(new Date(start + 1_000));
    await h.bus.runFor(h.clock, 10_000);
    const healthy = await describeTask(arn);
    expect(healthy.healthStatus).toBe('HEALTHY');
    expect(healthy.containers![0].healthStatus).toBe('HEALTHY');
    expect(timeline(arn)).toEqual([
      [0, 'PROVISIONING'],
      [1, 'PENDING'],
      [3, 'RUNNING'],
    ]);
  });

  test('a task without a health check stays UNKNOWN while running', async () => {
    await setImage({ image: 'batch:*', behavior: 'healthy' });
    const arn = await launch('batch');
    await h.bus.runFor(h.clock, 10 * 60_000);
    expect(await describeTask(arn)).toMatchObject({ lastStatus: 'RUNNING', healthStatus: 'UNKNOWN' });
  });

  test('an unhealthy image turns UNHEALTHY after retries failed checks and keeps running (no service owns it)', async () => {
    await setImage({ image: 'nginx:*', behavior: 'unhealthy' });
    const arn = await launch();
    // RUNNING at 3 s; checks every 10 s fail at 13, 23, 33 s → UNHEALTHY at 33 s.
    await h.bus.runFor(h.clock, 32_999);
    expect((await describeTask(arn)).healthStatus).toBe('UNKNOWN');
    await h.bus.runFor(h.clock, 1);
    expect(await describeTask(arn)).toMatchObject({ lastStatus: 'RUNNING', healthStatus: 'UNHEALTHY' });
    await h.bus.runFor(h.clock, 10 * 60_000);
    expect((await describeTask(arn)).lastStatus).toBe('RUNNING');
  });

  test('a crashing image exits with its exit code and the task stops with EssentialContainerExited', async () => {
    await setImage({ image: 'nginx:1.27', behavior: 'crash', afterSeconds: 20, exitCode: 137 });
    const arn = await launch();
    await h.bus.runFor(h.clock, 60_000);
    const task = await describeTask(arn);
    expect(task).toMatchObject({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited' });
    expect(task.containers![0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 137 });
    expect(timeline(arn)).toEqual([
      [0, 'PROVISIONING'],
      [1, 'PENDING'],
      [3, 'RUNNING'],
      [23, 'STOPPING'],
      [24, 'DEPROVISIONING'],
      [25, 'STOPPED'],
    ]);
  });

  test('an exit image ends by itself like a batch job, exit code 0 by default', async () => {
    await setImage({ image: 'batch:1', behavior: 'exit', afterSeconds: 10 });
    const arn = await launch('batch');
    await h.bus.runFor(h.clock, 60_000);
    const task = await describeTask(arn);
    expect(task).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited' });
    expect(task.containers![0].exitCode).toBe(0);
    expect(task.stoppingAt).toEqual(new Date(start + 13_000));
  });

  test('a slow-start image stays PENDING for the extra seconds', async () => {
    await setImage({ image: 'nginx:*', behavior: 'slow-start', afterSeconds: 60 });
    const arn = await launch();
    await h.bus.runFor(h.clock, 62_000);
    expect((await describeTask(arn)).lastStatus).toBe('PENDING');
    await h.bus.runFor(h.clock, 1_000);
    expect((await describeTask(arn)).lastStatus).toBe('RUNNING');
  });

  test('an image that cannot be pulled stops with TaskFailedToStart and a CannotPullContainerError', async () => {
    await setImage({ image: 'nginx:*', behavior: 'pull-error' });
    const arn = await launch();
    await h.bus.runFor(h.clock, 60_000);
    const task = await describeTask(arn);
    expect(task).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart' });
    expect(task.stoppedReason).toMatch(/^CannotPullContainerError: .*docker\.io\/library\/nginx:1\.27/);
    expect(task.containers![0].reason).toMatch(/^CannotPullContainerError/);
    expect(task.containers![0].exitCode).toBeUndefined();
    expect(task.startedAt).toBeUndefined();
  });

  test('events arrive in order with increasing version per task and the fields a consumer reads', async () => {
    const arns = [await launch(), await launch()];
    await h.bus.runFor(h.clock, 20_000);
    await h.ecs.send(new StopTaskCommand({ cluster: 'corral', task: arns[0], reason: 'done' }));
    await h.bus.runFor(h.clock, 20_000);
    for (const arn of arns) {
      const mine = events.filter((e) => e.detail.taskArn === arn);
      expect(mine.map((e) => e.detail.version)).toEqual(mine.map((_, i) => i + 1));
      expect(mine.every((e) => e.resources[0] === arn && e.source === 'aws.ecs' && e.detail.group === 'family:web')).toBe(true);
    }
    const last = events.filter((e) => e.detail.taskArn === arns[0]).at(-1)!;
    expect(last.detail).toMatchObject({
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'done',
      startedBy: 'test',
      clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/corral',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1',
      createdAt: new Date(start).toISOString(),
      startedAt: new Date(start + 3_000).toISOString(),
    });
    expect(last.detail.containers[0]).toMatchObject({ name: 'app', lastStatus: 'STOPPED', exitCode: 0 });
    expect(timeline(arns[1]).map(([, status]) => status)).toEqual(['PROVISIONING', 'PENDING', 'RUNNING']);
  });

  test('a stopped task stays listable for an hour, then vanishes', async () => {
    const arn = await launch();
    await h.bus.runFor(h.clock, 5_000);
    await h.ecs.send(new StopTaskCommand({ cluster: 'corral', task: arn }));
    await h.bus.runFor(h.clock, 59 * 60_000);
    const stopped = await h.ecs.send(new ListTasksCommand({ cluster: 'corral', desiredStatus: 'STOPPED' }));
    expect(stopped.taskArns).toEqual([arn]);
    await h.bus.runFor(h.clock, 2 * 60_000);
    expect((await h.ecs.send(new ListTasksCommand({ cluster: 'corral', desiredStatus: 'STOPPED' }))).taskArns).toEqual([]);
    expect((await h.ecs.send(new DescribeTasksCommand({ cluster: 'corral', tasks: [arn] }))).failures).toEqual([{ arn, reason: 'MISSING' }]);
  });

  test('with all delays zero a task is RUNNING as soon as the clock settles', async () => {
    await h.close();
    h = await startHarness({ delays: { provisioningMs: 0, pendingMs: 0, stoppingMs: 0, deprovisioningMs: 0 } });
    await h.ecs.send(new RegisterTaskDefinitionCommand(webDefinition));
    const arn = await launch();
    await h.bus.idle();
    expect((await describeTask(arn)).lastStatus).toBe('RUNNING');
  });
});
