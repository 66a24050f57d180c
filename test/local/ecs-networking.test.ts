import { DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand, type Task } from '@aws-sdk/client-ecs';
import type { EventBridgeEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { awsvpc, type Harness, startHarness, webDefinition } from './local-aws-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.ecs.send(new RegisterTaskDefinitionCommand(webDefinition));
});
afterAll(() => h.close());

const describeTasks = async (arns: string[]): Promise<Task[]> =>
  (await h.ecs.send(new DescribeTasksCommand({ cluster: 'corral', tasks: arns }))).tasks!;
const detail = (task: Task, name: string): string | undefined =>
  task.attachments?.[0]?.details?.find((d) => d.name === name)?.value;

describe('awsvpc tasks carry an elastic network interface, as on Fargate', () => {
  test('a provisioning task has a PRECREATED attachment naming only its subnet', async () => {
    const [task] = (await h.ecs.send(new RunTaskCommand({ cluster: 'corral', taskDefinition: 'web', networkConfiguration: awsvpc }))).tasks!;
    expect(task.attachments).toEqual([
      { id: expect.any(String), type: 'ElasticNetworkInterface', status: 'PRECREATED', details: [{ name: 'subnetId', value: 'subnet-local' }] },
    ]);
    expect(task.containers![0].networkInterfaces).toEqual([]);
  });

  test('running tasks have an ATTACHED ENI with a private IPv4 address unique per task, also in containers[].networkInterfaces', async () => {
    const out = await h.ecs.send(
      new RunTaskCommand({ cluster: 'corral', taskDefinition: 'web', networkConfiguration: awsvpc, count: 10, startedBy: 'eni' }),
    );
    await h.bus.runFor(h.clock, 10_000);
    const tasks = await describeTasks(out.tasks!.map((t) => t.taskArn!));
    expect(tasks.every((t) => t.lastStatus === 'RUNNING')).toBe(true);
    for (const task of tasks) {
      const [attachment] = task.attachments!;
      expect(attachment).toMatchObject({ type: 'ElasticNetworkInterface', status: 'ATTACHED' });
      const address = detail(task, 'privateIPv4Address')!;
      expect(address).toMatch(/^10\.0\.\d{1,3}\.\d{1,3}$/);
      expect(detail(task, 'networkInterfaceId')).toMatch(/^eni-[0-9a-f]{17}$/);
      expect(detail(task, 'macAddress')).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      expect(detail(task, 'privateDnsName')).toBe(`ip-${address.replaceAll('.', '-')}.ec2.internal`);
      expect(task.containers![0].networkInterfaces).toEqual([{ attachmentId: attachment.id, privateIpv4Address: address }]);
    }
    expect(new Set(tasks.map((t) => detail(t, 'privateIPv4Address'))).size).toBe(10);
  });

  test('a stopped task has its attachment DELETED, and no live task ever shares an address', async () => {
    const first = await h.ecs.send(new RunTaskCommand({ cluster: 'corral', taskDefinition: 'web', networkConfiguration: awsvpc, count: 5 }));
    await h.bus.runFor(h.clock, 10_000);
    const stoppedArn = first.tasks![0].taskArn!;
    await h.ecs.send(new StopTaskCommand({ cluster: 'corral', task: stoppedArn }));
    await h.bus.runFor(h.clock, 60_000);
    const [stopped] = await describeTasks([stoppedArn]);
    expect(stopped.lastStatus).toBe('STOPPED');
    expect(stopped.attachments![0].status).toBe('DELETED');

    const second = await h.ecs.send(new RunTaskCommand({ cluster: 'corral', taskDefinition: 'web', networkConfiguration: awsvpc, count: 10 }));
    await h.bus.runFor(h.clock, 10_000);
    const live = (await describeTasks([...first.tasks!.slice(1), ...second.tasks!].map((t) => t.taskArn!))).filter(
      (t) => t.lastStatus === 'RUNNING',
    );
    expect(live).toHaveLength(14);
    expect(new Set(live.map((t) => detail(t, 'privateIPv4Address'))).size).toBe(14);
  });

  test('ECS Task State Change events carry the attachment with its address', async () => {
    type Detail = { taskArn: string; lastStatus: string; attachments: Task['attachments'] };
    const details: Detail[] = [];
    const unsubscribe = h.bus.subscribe({ source: ['aws.ecs'] }, (event: EventBridgeEvent<string, Detail>) => {
      details.push(event.detail);
    });
    try {
      const [task] = (await h.ecs.send(new RunTaskCommand({ cluster: 'corral', taskDefinition: 'web', networkConfiguration: awsvpc }))).tasks!;
      await h.bus.runFor(h.clock, 10_000);
      const running = details.find((d) => d.taskArn === task.taskArn && d.lastStatus === 'RUNNING')!;
      const [described] = await describeTasks([task.taskArn!]);
      expect(running.attachments).toEqual(described.attachments);
    } finally {
      unsubscribe();
    }
  });
});
