import {
  DeregisterTargetsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SendingClient } from './lazy-client.js';
import type { Target, TargetGroups, TargetHealth, TargetState } from './traffic.js';
import { mapTrafficError } from './traffic-errors.js';

/** RegisterTargets and DeregisterTargets take at most this many targets a call (ALB quota per group: 1000). */
const maxTargetsPerCall = 1000;
const states = new Set<string>(['initial', 'healthy', 'unhealthy', 'unused', 'draining', 'unavailable']);

/**
 * `TargetGroups` on Elastic Load Balancing v2 through an injected client (AWS, LocalStack or the
 * local endpoint). Every SDK error becomes a `TrafficError`; a missing target group is terminal.
 */
export class ElbTargetGroups implements TargetGroups {
  constructor(private readonly elb: SendingClient<ElasticLoadBalancingV2Client>) {}

  async register(targetGroupArn: string, targets: readonly Target[]): Promise<void> {
    for (const batch of batches(targets)) {
      await this.call('RegisterTargets', targetGroupArn, () =>
        this.elb.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: batch.map((t) => ({ Id: t.ip, Port: t.port })) })),
      );
    }
  }

  async deregister(targetGroupArn: string, targets: readonly Target[]): Promise<void> {
    for (const batch of batches(targets)) {
      await this.call('DeregisterTargets', targetGroupArn, () =>
        this.elb.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: batch.map((t) => ({ Id: t.ip, Port: t.port })) })),
      );
    }
  }

  async health(targetGroupArn: string): Promise<TargetHealth[]> {
    const answer = await this.call('DescribeTargetHealth', targetGroupArn, () =>
      this.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })),
    );
    return (answer.TargetHealthDescriptions ?? []).flatMap((d) => {
      if (d.Target?.Id === undefined || d.Target.Port === undefined) return [];
      const state = d.TargetHealth?.State ?? 'unavailable';
      return [{ ip: d.Target.Id, port: d.Target.Port, state: (states.has(state) ? state : 'unavailable') as TargetState, reason: d.TargetHealth?.Reason }];
    });
  }

  async drainingMs(targetGroupArn: string): Promise<number> {
    const answer = await this.call('DescribeTargetGroupAttributes', targetGroupArn, () =>
      this.elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: targetGroupArn })),
    );
    const value = answer.Attributes?.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value;
    // ELB's default when the attribute is missing from the answer.
    return (value !== undefined && /^\d+$/.test(value) ? Number(value) : 300) * 1000;
  }

  private async call<T>(operation: string, targetGroupArn: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw mapTrafficError(error, operation, targetGroupArn);
    }
  }
}

function batches(targets: readonly Target[]): Target[][] {
  const out: Target[][] = [];
  for (let i = 0; i < targets.length; i += maxTargetsPerCall) out.push(targets.slice(i, i + maxTargetsPerCall));
  return out;
}
