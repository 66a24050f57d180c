import { DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import {
  CreateTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { awsvpc, credentials, type Harness, region, startHarness, webDefinition } from './local-aws-harness.js';

let h: Harness;
let elb: ElasticLoadBalancingV2Client;
beforeAll(async () => {
  h = await startHarness();
  elb = new ElasticLoadBalancingV2Client({ endpoint: h.aws.url, region, credentials, maxAttempts: 1 });
  await h.ecs.send(new RegisterTaskDefinitionCommand(webDefinition));
  await h.ecs.send(new RegisterTaskDefinitionCommand({ ...webDefinition, family: 'broken', containerDefinitions: [{ ...webDefinition.containerDefinitions![0], image: 'web:broken' }] }));
  await control('/_corral/images', 'POST', { image: 'web:broken', behavior: 'target-unhealthy' });
});
afterAll(async () => {
  elb.destroy();
  await h.close();
});

async function control(path: string, method: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${h.aws.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** Runs tasks and lets them reach RUNNING (1 s provisioning + 2 s pending by default); answers arn and address. */
async function runningTasks(family: string, count: number): Promise<{ arn: string; ip: string }[]> {
  const ran = await h.ecs.send(new RunTaskCommand({ cluster: 'corral', taskDefinition: family, count, networkConfiguration: awsvpc }));
  h.clock.advance(3_000);
  const arns = (ran.tasks ?? []).map((t) => t.taskArn as string);
  const described = await h.ecs.send(new DescribeTasksCommand({ cluster: 'corral', tasks: arns }));
  return (described.tasks ?? []).map((task) => {
    expect(task.lastStatus).toBe('RUNNING');
    const ip = task.attachments?.[0]?.details?.find((d) => d.name === 'privateIPv4Address')?.value as string;
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    return { arn: task.taskArn as string, ip };
  });
}

async function targetGroup(name: string, drainSeconds: number): Promise<string> {
  const created = await elb.send(
    new CreateTargetGroupCommand({
      Name: name, Protocol: 'HTTP', Port: 80, VpcId: 'vpc-local', TargetType: 'ip',
      HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2,
    }),
  );
  const arn = created.TargetGroups?.[0]?.TargetGroupArn as string;
  await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(drainSeconds) }] }));
  return arn;
}

async function states(arn: string): Promise<Record<string, string>> {
  const answer = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
  return Object.fromEntries((answer.TargetHealthDescriptions ?? []).map((d) => [d.Target?.Id, `${d.TargetHealth?.State}${d.TargetHealth?.Reason ? ` ${d.TargetHealth.Reason}` : ''}`]));
}

describe('target health follows the simulated task', () => {
  test('a serving task is healthy after healthy-threshold × interval; stopped, it turns unhealthy after unhealthy-threshold failures', async () => {
    const arn = await targetGroup('follows-task', 0);
    const [task] = await runningTasks('web', 1);
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: task.ip }] }));
    h.clock.advance(5_000);
    expect(await states(arn)).toEqual({ [task.ip]: 'initial Elb.InitialHealthChecking' });
    h.clock.advance(5_000);
    expect(await states(arn)).toEqual({ [task.ip]: 'healthy' });
    await h.ecs.send(new StopTaskCommand({ cluster: 'corral', task: task.arn }));
    h.clock.advance(5_000);
    expect(await states(arn)).toEqual({ [task.ip]: 'healthy' });
    h.clock.advance(5_000);
    expect(await states(arn)).toEqual({ [task.ip]: 'unhealthy Target.Timeout' });
  });

  test('target-unhealthy: the container check passes, the load balancer’s fails with 503', async () => {
    const arn = await targetGroup('target-unhealthy', 0);
    const [task] = await runningTasks('broken', 1);
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: task.ip }] }));
    h.clock.advance(30_000);
    const described = await h.ecs.send(new DescribeTasksCommand({ cluster: 'corral', tasks: [task.arn] }));
    expect(described.tasks?.[0]?.healthStatus).toBe('HEALTHY');
    const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    expect(health.TargetHealthDescriptions?.[0]?.TargetHealth).toEqual({
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch',
      Description: 'Health checks failed with these codes: [503]',
    });
  });
});

describe('/_corral/traffic', () => {
  test('routes round robin over healthy targets; a task stopped without draining fails requests, one drained first fails none', async () => {
    const arn = await targetGroup('rehearsal', 5);
    const tasks = await runningTasks('web', 3);
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: tasks.map((t) => ({ Id: t.ip })) }));
    h.clock.advance(10_000);
    expect(Object.values(await states(arn))).toEqual(['healthy', 'healthy', 'healthy']);

    const started = await control('/_corral/traffic', 'POST', { targetGroupArn: arn, requestsPerSecond: 50, requestMs: 100 });
    expect(started).toMatchObject({ status: 200, json: { targetGroupArn: arn, requestsPerSecond: 50, requestMs: 100, sent: 0 } });
    h.clock.advance(10_000);
    const steady = (await control(`/_corral/traffic?targetGroupArn=${encodeURIComponent(arn)}`, 'GET')).json;
    expect(steady).toMatchObject({ sent: 500, failed: 0, failures: [] });
    expect(steady.served + steady.inFlight).toBe(500);

    // Drained first: deregister, wait out the 5 s delay, then stop. Nothing fails.
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: tasks[0].ip }] }));
    h.clock.advance(5_000);
    await h.ecs.send(new StopTaskCommand({ cluster: 'corral', task: tasks[0].arn }));
    h.clock.advance(5_000);
    expect((await control(`/_corral/traffic?targetGroupArn=${encodeURIComponent(arn)}`, 'GET')).json.failed).toBe(0);

    // Stopped while registered: requests keep going to it until the load balancer notices.
    await h.ecs.send(new StopTaskCommand({ cluster: 'corral', task: tasks[1].arn }));
    h.clock.advance(15_000);
    const report = (await control(`/_corral/traffic?targetGroupArn=${encodeURIComponent(arn)}`, 'DELETE')).json;
    expect(report.failed).toBeGreaterThan(0);
    expect(report.failures.length).toBeLessThanOrEqual(20);
    expect(new Set(report.failures.map((f: { target: string }) => f.target))).toEqual(new Set([`${tasks[1].ip}:80`]));
    expect(report.failures[0]).toMatchObject({ at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), reason: expect.any(String) });
    // 2 failed checks 5 s apart take the stopped task out; the rest of the 15 s goes to the healthy one.
    expect(report.failed).toBeLessThan(15 * 50);
    expect(report.sent).toBe(report.served + report.failed + report.inFlight);
    expect((await control(`/_corral/traffic?targetGroupArn=${encodeURIComponent(arn)}`, 'GET')).status).toBe(404);
  });

  test('bad rehearsal requests are 4xx naming the field', async () => {
    expect(await control('/_corral/traffic', 'POST', { requestsPerSecond: 5 })).toMatchObject({ status: 400, json: { message: expect.stringContaining('targetGroupArn') } });
    const arn = await targetGroup('bad-rehearsal', 0);
    expect(await control('/_corral/traffic', 'POST', { targetGroupArn: arn, requestsPerSecond: 0 })).toMatchObject({ status: 400, json: { message: expect.stringContaining('requestsPerSecond') } });
    expect(await control('/_corral/traffic', 'POST', { targetGroupArn: arn.replace(/[0-9a-f]{16}$/, '0000000000000000') })).toMatchObject({ status: 404 });
    expect(await control('/_corral/traffic', 'DELETE')).toMatchObject({ status: 400 });
  });
});
