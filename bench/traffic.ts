import { StopTaskCommand } from '@aws-sdk/client-ecs';
import { CreateTargetGroupCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client, ModifyTargetGroupAttributesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { EventBridgeEvent } from 'aws-lambda';
import { localClientOptions, sdkConfig } from '../lib/aws/clients.js';
import { EcsContainerRuntime } from '../lib/aws/ecs-runtime.js';
import { type LocalRuntime, startLocalRuntime, zeroDelays } from '../lib/local/runtime.js';
import type { VirtualClock } from '../lib/local/virtual-clock.js';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Fargate-like task timings: capacity and ENI, image pull and start, SIGTERM to exit, ENI detach. */
export const realisticDelays = { provisioningMs: 10_000, pendingMs: 20_000, stoppingMs: 5_000, deprovisioningMs: 10_000 };

/** A target group checked every 5 s (timeout 2 s), healthy after 2 passes, draining for 5 s. */
async function targetGroup(rt: LocalRuntime, name: string): Promise<{ arn: string; elb: ElasticLoadBalancingV2Client }> {
  const elb = new ElasticLoadBalancingV2Client(sdkConfig(localClientOptions(rt.awsUrl)));
  const created = await elb.send(
    new CreateTargetGroupCommand({
      Name: name, Protocol: 'HTTP', Port: 80, VpcId: 'vpc-local', TargetType: 'ip',
      HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2,
    }),
  );
  const arn = created.TargetGroups?.[0]?.TargetGroupArn as string;
  await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }] }));
  return { arn, elb };
}

const put = (rt: LocalRuntime, name: string, body: unknown) =>
  fetch(`${rt.apiUrl}/services/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const status = async (rt: LocalRuntime, name: string) =>
  ((await (await fetch(`${rt.apiUrl}/services/${name}`)).json()) as { status: { phase: string; revision: number; counts: { available: number } } }).status;
const deregistrations = (rt: LocalRuntime) => rt.aws.stats().byOperation['elasticloadbalancing:DeregisterTargets'] ?? 0;

/**
 * Control plane only, wall clock, zero simulated delays: from the ECS task state change of a task
 * stopped outside Corral (`aws ecs stop-task`) to the DeregisterTargets call that takes it out of
 * its target group, over `samples` stops.
 */
export async function benchEventToDeregister(samples: number): Promise<{ samples: number; p50Ms: number; p99Ms: number }> {
  const rt = await startLocalRuntime({ apiPort: 0, awsPort: 0, delays: zeroDelays });
  const { arn, elb } = await targetGroup(rt, 'bench-deregister');
  const ecs = new EcsContainerRuntime(rt.clients.ecs, { cluster: rt.clusterName, subnets: [], securityGroups: [] });
  const stoppingSeen = new Map<string, number>();
  rt.bus.subscribe({ source: ['aws.ecs'], 'detail-type': ['ECS Task State Change'] }, (event: EventBridgeEvent<string, { taskArn: string; desiredStatus: string }>) => {
    if (event.detail.desiredStatus === 'STOPPED' && !stoppingSeen.has(event.detail.taskArn)) stoppingSeen.set(event.detail.taskArn, performance.now());
  });
  const latencies: number[] = [];
  try {
    await put(rt, 'web', { image: 'bench:1', replicas: 10, port: 80, loadBalancers: [{ targetGroupArn: arn }], rollout: { minHealthySeconds: 0 } });
    const allRegistered = async (ips: (string | undefined)[]) => {
      const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
      const registered = new Set((health.TargetHealthDescriptions ?? []).filter((d) => d.TargetHealth?.State !== 'draining').map((d) => d.Target?.Id));
      return ips.every((ip) => ip !== undefined && registered.has(ip));
    };
    const live = async () => (await ecs.observe('corral/web')).filter((t) => t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING');
    for (let i = 0; i < samples; i++) {
      // Wait for a full fleet, every task registered (by the reconcile its RUNNING event triggered).
      let fleet = await live();
      while (fleet.length < 10 || !(await allRegistered(fleet.map((t) => t.privateIpv4)))) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        fleet = await live();
      }
      const before = deregistrations(rt);
      await rt.clients.ecs.send(new StopTaskCommand({ cluster: rt.clusterName, task: fleet[i % fleet.length].taskArn }));
      while (deregistrations(rt) === before) await new Promise((resolve) => setImmediate(resolve));
      const at = performance.now();
      latencies.push(at - (stoppingSeen.get(fleet[i % fleet.length].taskArn) ?? at));
    }
  } finally {
    elb.destroy();
    await rt.close();
  }
  latencies.sort((a, b) => a - b);
  return { samples, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/**
 * A 10-replica rolling update behind a target group (maxSurge 25%, maxUnavailable 0, default
 * minHealthySeconds 10) on the virtual clock with Fargate-like delays, under 50 requests/s of the
 * traffic rehearsal: simulated time from the PUT to Available, and the requests that failed.
 */
export async function benchTrafficRollout(replicas: number): Promise<{ simulatedSeconds: number; wallMs: number; sent: number; failed: number }> {
  const rt = await startLocalRuntime({ apiPort: 0, awsPort: 0, virtualTime: true, delays: realisticDelays });
  const clock = rt.clock as VirtualClock;
  const { arn, elb } = await targetGroup(rt, 'bench-rollout');
  const spec = (image: string) => ({ image, replicas, port: 80, loadBalancers: [{ targetGroupArn: arn }], rollout: { maxSurge: '25%', maxUnavailable: 0 } });
  // Looked at once per simulated second: the rehearsal's timers step the clock every 10 ms.
  let lookedAt = -Infinity;
  const settled = (revision: number) => async () => {
    if (clock.now() - lookedAt < 1_000) return false;
    lookedAt = clock.now();
    const s = await status(rt, 'roll');
    return s.phase === 'Available' && s.revision === revision && s.counts.available === replicas;
  };
  try {
    await put(rt, 'roll', spec('bench:1'));
    await rt.bus.runUntil(clock, settled(1), 600_000);
    await fetch(`${rt.awsUrl}/_corral/traffic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ targetGroupArn: arn, requestsPerSecond: 50, requestMs: 100 }) });
    const startedAt = clock.now();
    const wallStart = performance.now();
    await put(rt, 'roll', spec('bench:2'));
    if (!(await rt.bus.runUntil(clock, settled(2), 1_800_000))) throw new Error('the rollout did not finish within 30 simulated minutes');
    const simulatedSeconds = (clock.now() - startedAt) / 1000;
    const wallMs = performance.now() - wallStart;
    const report = (await (await fetch(`${rt.awsUrl}/_corral/traffic?targetGroupArn=${encodeURIComponent(arn)}`, { method: 'DELETE' })).json()) as { sent: number; failed: number };
    return { simulatedSeconds, wallMs, sent: report.sent, failed: report.failed };
  } finally {
    elb.destroy();
    await rt.close();
  }
}
