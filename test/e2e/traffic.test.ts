import { StopTaskCommand } from '@aws-sdk/client-ecs';
import {
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateHttpNamespaceCommand, CreateServiceCommand, GetOperationCommand, ListInstancesCommand, ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { taskEventBatching } from '../../lib/reconciler/triggers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientOptions, sdkConfig } from '../../lib/aws/clients.js';
import type { ObservedTask } from '../../lib/aws/container-runtime.js';
import { call } from '../support/http.js';
import { events, getService, startTestRuntime, TaskWatcher, type TestRuntime } from '../support/local-mode.js';

/** 5 s checks, healthy after 2, unhealthy after 2, 5 s deregistration delay. */
async function targetGroup(elb: ElasticLoadBalancingV2Client, name: string): Promise<string> {
  const created = await elb.send(
    new CreateTargetGroupCommand({
      Name: name, Protocol: 'HTTP', Port: 80, VpcId: 'vpc-local', TargetType: 'ip',
      HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2,
      Tags: [{ Key: 'corral:managed', Value: 'true' }],
    }),
  );
  const arn = created.TargetGroups?.[0]?.TargetGroupArn as string;
  await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }] }));
  return arn;
}

async function cloudMapService(cloudMap: ServiceDiscoveryClient, namespace: string): Promise<{ arn: string; id: string }> {
  const { OperationId } = await cloudMap.send(new CreateHttpNamespaceCommand({ Name: namespace }));
  const { Operation } = await cloudMap.send(new GetOperationCommand({ OperationId }));
  const { Service } = await cloudMap.send(new CreateServiceCommand({ Name: 'web', NamespaceId: Operation?.Targets?.NAMESPACE }));
  return { arn: Service?.Arn as string, id: Service?.Id as string };
}

interface Fixture {
  rt: TestRuntime;
  elb: ElasticLoadBalancingV2Client;
  cloudMap: ServiceDiscoveryClient;
  close(): Promise<void>;
}

async function fixture(options: Parameters<typeof startTestRuntime>[0] = {}): Promise<Fixture> {
  const rt = await startTestRuntime(options);
  const config = sdkConfig(localClientOptions(rt.awsUrl));
  const elb = new ElasticLoadBalancingV2Client(config);
  const cloudMap = new ServiceDiscoveryClient(config);
  return {
    rt, elb, cloudMap,
    async close() {
      elb.destroy();
      cloudMap.destroy();
      await rt.close();
    },
  };
}

async function targets(f: Fixture, arn: string): Promise<{ ip: string; state: string }[]> {
  const answer = await f.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
  return (answer.TargetHealthDescriptions ?? []).map((d) => ({ ip: d.Target?.Id as string, state: d.TargetHealth?.State as string }));
}

async function traffic(f: Fixture, method: string, body?: Record<string, unknown>, arn?: string) {
  const query = arn ? `?targetGroupArn=${encodeURIComponent(arn)}` : '';
  const response = await fetch(`${f.rt.awsUrl}/_corral/traffic${query}`, {
    method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return response.json();
}

const live = (tasks: ObservedTask[]) => tasks.filter((t) => t.lastStatus !== 'STOPPED' && t.desiredStatus !== 'STOPPED');

describe('a service behind a target group and in Cloud Map', () => {
  let f: Fixture;
  let tg: string;
  let registry: { arn: string; id: string };
  const replicas = 4;
  const spec = (image: string) => ({
    image, replicas, port: 80,
    loadBalancers: [{ targetGroupArn: tg }],
    serviceRegistries: [{ registryArn: registry.arn }],
    rollout: { maxSurge: 1, maxUnavailable: 0, minHealthySeconds: 5 },
  });

  beforeAll(async () => {
    f = await fixture();
    tg = await targetGroup(f.elb, 'web');
    registry = await cloudMapService(f.cloudMap, 'web.local');
  });
  afterAll(() => f.close());

  /** Cloud Map lists exactly the tasks whose targets are all healthy and which are not leaving. */
  async function checkDiscovery(): Promise<void> {
    const [instances, inGroup, tasks] = await Promise.all([
      f.cloudMap.send(new ListInstancesCommand({ ServiceId: registry.id })),
      targets(f, tg),
      f.rt.tasks('web'),
    ]);
    const healthyIps = new Set(inGroup.filter((t) => t.state === 'healthy').map((t) => t.ip));
    const listed = (instances.Instances ?? []).map((i) => i.Attributes?.AWS_INSTANCE_IPV4).sort();
    const ready = live(tasks).filter((t) => t.privateIpv4 && healthyIps.has(t.privateIpv4)).map((t) => t.privateIpv4).sort();
    expect(listed).toEqual(ready);
  }

  it('becomes available only once every target is healthy, with Cloud Map listing each task', async () => {
    const created = await call(f.rt.apiUrl, 'PUT', '/services/web', spec('web:1'));
    expect(created.status).toBe(201);
    // Tasks are RUNNING at once (no simulated delays), but the load balancer needs 2 checks 5 s apart.
    await f.rt.run(9_000);
    expect((await getService(f.rt, 'web')).status.counts).toMatchObject({ running: replicas, available: 0 });
    expect(await f.rt.until(async () => (await getService(f.rt, 'web')).status.phase === 'Available', 60_000)).toBe(true);
    const tasks = live(await f.rt.tasks('web'));
    expect((await targets(f, tg)).map((t) => t.state)).toEqual(Array(replicas).fill('healthy'));
    expect((await targets(f, tg)).map((t) => t.ip).sort()).toEqual(tasks.map((t) => t.privateIpv4).sort());
    await checkDiscovery();
  });

  it('rolls to a new image under 50 requests/s with 0 failed requests, within the bounds, draining every old task before its stop', async () => {
    await traffic(f, 'POST', { targetGroupArn: tg, requestsPerSecond: 50, requestMs: 100 });
    f.rt.watcher.onChange((tasks) => {
      const notStopped = TaskWatcher.notStopped(tasks, 'web').length;
      const running = TaskWatcher.running(tasks, 'web').length;
      if (notStopped > replicas + 1) throw new Error(`${notStopped} tasks above the surge bound`);
      if (running < replicas) throw new Error(`${running} running, below the floor of ${replicas}`);
    });
    const before = live(await f.rt.tasks('web'));
    // When Corral deregistered each old task (its status records the drains it runs).
    const drainedSince = new Map<string, number>();
    const updated = await call(f.rt.apiUrl, 'PUT', '/services/web', spec('web:2'));
    expect(updated.status).toBe(200);
    const done = await f.rt.until(async () => {
      const status = (await getService(f.rt, 'web')).status;
      for (const [taskArn, drain] of Object.entries((await f.rt.store.getStatus('web'))?.status.draining ?? {})) {
        if (!drainedSince.has(taskArn)) drainedSince.set(taskArn, drain.since);
      }
      await checkDiscovery();
      return status.phase === 'Available' && status.revision === 2;
    }, 300_000);
    expect(done).toBe(true);
    expect(f.rt.watcher.violations).toEqual([]);
    // Every old task was stopped, each one at least the 5 s deregistration delay after it left traffic.
    const stops = (await f.rt.tasks('web')).filter((t) => before.some((b) => b.taskArn === t.taskArn));
    expect(stops).toHaveLength(replicas);
    for (const task of stops) {
      expect(drainedSince.has(task.taskArn), task.taskArn).toBe(true);
      expect(task.stoppingAt! - drainedSince.get(task.taskArn)!).toBeGreaterThanOrEqual(5_000);
    }

    const report: any = await traffic(f, 'GET', undefined, tg);
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ failed: 0 });
    expect(report.sent).toBeGreaterThan(50 * 60);
    const now = live(await f.rt.tasks('web'));
    expect(now.every((t) => t.revision === 2)).toBe(true);
    const registered = (await targets(f, tg)).filter((t) => t.state !== 'draining');
    expect(registered.map((t) => t.ip).sort()).toEqual(now.map((t) => t.privateIpv4).sort());
    await checkDiscovery();
    await traffic(f, 'DELETE', undefined, tg);
  });

  it('a task stopped with StopTask leaves the target group and Cloud Map within one reconcile', async () => {
    const [victim] = live(await f.rt.tasks('web'));
    await f.rt.clients.ecs.send(new StopTaskCommand({ cluster: f.rt.clusterName, task: victim.taskArn, reason: 'operator' }));
    // Let the task state change event and the reconcile it triggers play out: the event waits at
    // most one batching window in the task-event queue, and nothing else needs time to pass.
    await f.rt.run(taskEventBatching.maxBatchingWindowMs);
    const state = (await targets(f, tg)).find((t) => t.ip === victim.privateIpv4)?.state;
    expect(state === undefined || state === 'draining').toBe(true);
    const instances = await f.cloudMap.send(new ListInstancesCommand({ ServiceId: registry.id }));
    expect(instances.Instances?.map((i) => i.Attributes?.AWS_INSTANCE_IPV4)).not.toContain(victim.privateIpv4);
    expect(await f.rt.until(async () => (await getService(f.rt, 'web')).status.phase === 'Available' && live(await f.rt.tasks('web')).length === replicas, 120_000)).toBe(true);
    await checkDiscovery();
  });
});

describe('a rollout to an image that fails the load balancer’s health check', () => {
  let f: Fixture;
  let tg: string;
  beforeAll(async () => {
    f = await fixture();
    tg = await targetGroup(f.elb, 'bad');
  });
  afterAll(() => f.close());

  it('fails and rolls back with 0 failed requests', async () => {
    const spec = (image: string) => ({ image, replicas: 4, port: 80, loadBalancers: [{ targetGroupArn: tg }], rollout: { maxSurge: 1, maxUnavailable: 0, minHealthySeconds: 5 } });
    await call(f.rt.apiUrl, 'PUT', '/services/api', spec('api:1'));
    expect(await f.rt.until(async () => (await getService(f.rt, 'api')).status.phase === 'Available', 60_000)).toBe(true);
    await f.rt.setImage({ image: 'api:2', behavior: 'target-unhealthy' });
    await traffic(f, 'POST', { targetGroupArn: tg, requestsPerSecond: 50, requestMs: 100 });
    await call(f.rt.apiUrl, 'PUT', '/services/api', spec('api:2'));
    const rolledBack = await f.rt.until(async () => (await getService(f.rt, 'api')).status.phase === 'RolledBack', 600_000);
    if (!rolledBack) console.log(JSON.stringify((await getService(f.rt, 'api')).status), JSON.stringify((await events(f.rt, 'api')).slice(0, 15)), JSON.stringify(await targets(f, tg)));
    expect(rolledBack).toBe(true);
    expect(await f.rt.until(async () => live(await f.rt.tasks('api')).every((t) => t.revision === 1) && (await getService(f.rt, 'api')).status.counts.available === 4, 120_000)).toBe(true);
    const report: any = await traffic(f, 'DELETE', undefined, tg);
    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.sent).toBeGreaterThan(0);
    const messages = (await events(f.rt, 'api')).map((e) => e.message).join('\n');
    expect(messages).toMatch(/failing its load balancer health check/);
  });
});

describe('a target group that does not exist', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
  });
  afterAll(() => f.close());

  it('is recorded as a terminal condition, not retried, and a spec naming an existing one recovers', async () => {
    const missing = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/missing/0123456789abcdef';
    await call(f.rt.apiUrl, 'PUT', '/services/lost', { image: 'app:1', replicas: 2, port: 80, loadBalancers: [{ targetGroupArn: missing }] });
    await f.rt.run(10_000);
    const { status } = await getService(f.rt, 'lost');
    expect(status.phase).toBe('Failed');
    expect(status.conditions).toContainEqual(expect.objectContaining({ type: 'Stalled', status: 'True', reason: 'TargetGroupNotFound' }));
    expect(status.message).toContain(missing);
    f.rt.aws.resetStats();
    await f.rt.run(120_000);
    // Two sweeps came by: neither called Elastic Load Balancing again for this generation.
    expect(Object.keys(f.rt.aws.stats().byOperation).filter((op) => op.startsWith('elasticloadbalancing:'))).toEqual([]);

    const tg = await targetGroup(f.elb, 'found');
    await call(f.rt.apiUrl, 'PUT', '/services/lost', { image: 'app:1', replicas: 2, port: 80, loadBalancers: [{ targetGroupArn: tg }] });
    const ok = await f.rt.until(async () => (await getService(f.rt, 'lost')).status.phase === 'Available', 60_000);
    if (!ok) console.log(JSON.stringify((await getService(f.rt, 'lost')).status), JSON.stringify(await events(f.rt, 'lost')), JSON.stringify(await targets(f, tg)));
    expect(ok).toBe(true);
  });

  it('a malformed target group ARN is a 400 naming the field and stores nothing', async () => {
    const response = await call(f.rt.apiUrl, 'PUT', '/services/typo', { image: 'app:1', replicas: 1, port: 80, loadBalancers: [{ targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/x/0123456789abcdef' }] });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toContainEqual(expect.objectContaining({ field: 'loadBalancers[0].targetGroupArn' }));
    expect((await call(f.rt.apiUrl, 'GET', '/services/typo')).status).toBe(404);
  });
});
