import type { Clock } from '../clock.js';
export type { TrafficPorts } from '../aws/traffic.js';
import type { ObservedTask } from '../core/planner/index.js';
import { taskId } from '../core/planner/action-events.js';
import { trafficReadiness, type TrafficBinding, type TrafficObserved, type TrafficPlan, type TrafficTask } from '../core/traffic/index.js';
import type { ObservedTask as EcsTask } from '../aws/container-runtime.js';
import type { PlanningRevision } from '../aws/state/planning-digest.js';
import type { TrafficPorts } from '../aws/traffic.js';
import { TrafficResourceNotFoundError } from '../aws/traffic-errors.js';

/** How long a target group's deregistration delay is remembered: it rarely changes, and reading it every reconcile costs a call. */
const drainingDelayMemoMs = 60_000;

/** Each revision's traffic, from its task template; revisions without any are left out. */
export function bindingsOf(revisions: readonly PlanningRevision[]): Map<number, TrafficBinding> {
  const bindings = new Map<number, TrafficBinding>();
  for (const { revision, template } of revisions) {
    const loadBalancers = template.loadBalancers ?? [];
    const registries = (template.serviceRegistries ?? []).map((r) => ({ registryArn: r.registryArn, ...(template.port === undefined ? {} : { port: template.port }) }));
    if (loadBalancers.length > 0 || registries.length > 0) bindings.set(revision, { loadBalancers, registries });
  }
  return bindings;
}

export function trafficTasksOf(tasks: readonly EcsTask[]): TrafficTask[] {
  return tasks.flatMap((t) =>
    t.revision === undefined
      ? []
      : [{
          taskArn: t.taskArn,
          taskId: taskId(t.taskArn),
          revision: t.revision,
          ...(t.privateIpv4 === undefined ? {} : { ip: t.privateIpv4 }),
          lastStatus: t.lastStatus,
          desiredStatus: t.desiredStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING',
          healthStatus: t.healthStatus,
        }],
  );
}

/**
 * Reads what the target groups and Cloud Map services of `bindings` hold: one DescribeTargetHealth
 * per group and one ListInstances (paged) per service; deregistration delays are read once a
 * minute per group. A missing group or service is a terminal `TrafficError`.
 */
export class TrafficObserver {
  private readonly delays = new Map<string, { ms: number; readAt: number }>();

  constructor(
    private readonly ports: TrafficPorts,
    private readonly clock: Clock,
  ) {}

  /**
   * `required`: the bindings whose groups must exist (the wanted revision's); a group only other
   * revisions use may be gone (deleted with the old revision, or the service is being deleted) and
   * then holds nothing.
   */
  async observe(required: Iterable<TrafficBinding>, others: Iterable<TrafficBinding>, draining: TrafficObserved['draining']): Promise<TrafficObserved> {
    const groups = new Map<string, boolean>();
    const registries = new Map<string, boolean>();
    const collect = (bindings: Iterable<TrafficBinding>, mustExist: boolean) => {
      for (const binding of bindings) {
        for (const lb of binding.loadBalancers) groups.set(lb.targetGroupArn, mustExist || (groups.get(lb.targetGroupArn) ?? false));
        for (const r of binding.registries) registries.set(r.registryArn, mustExist || (registries.get(r.registryArn) ?? false));
      }
    };
    collect(required, true);
    collect(others, false);
    const targets: Record<string, TrafficObserved['targets'][string]> = {};
    const instances: Record<string, TrafficObserved['instances'][string]> = {};
    const drainingMs: Record<string, number> = {};
    const missing = (mustExist: boolean) => (error: unknown) => {
      if (!mustExist && error instanceof TrafficResourceNotFoundError) return [];
      throw error;
    };
    for (const [group, mustExist] of groups) {
      targets[group] = await this.ports.targetGroups.health(group).catch(missing(mustExist));
      if (targets[group].length > 0) drainingMs[group] = await this.drainingMs(group);
    }
    for (const [registry, mustExist] of registries) instances[registry] = await this.ports.registry.list(registry).catch(missing(mustExist));
    return { targets, instances, drainingMs, draining };
  }

  private async drainingMs(group: string): Promise<number> {
    const memo = this.delays.get(group);
    const now = this.clock.now();
    if (memo && now - memo.readAt < drainingDelayMemoMs) return memo.ms;
    const ms = await this.ports.targetGroups.drainingMs(group);
    this.delays.set(group, { ms, readAt: now });
    return ms;
  }
}

/** The planner's tasks with the readiness gate applied. */
export function withReadiness(
  tasks: ObservedTask[],
  ecsTasks: readonly TrafficTask[],
  bindings: Map<number, TrafficBinding>,
  observed: TrafficObserved,
): ObservedTask[] {
  const byArn = new Map(ecsTasks.map((t) => [t.taskArn, t]));
  return tasks.map((task) => {
    const source = byArn.get(task.taskArn);
    const readiness = source && trafficReadiness(source, bindings.get(task.revision), observed);
    return readiness === undefined ? task : { ...task, traffic: readiness };
  });
}

/** Takes tasks out of traffic first, then puts new ones in; each call is idempotent, so a crash between them converges. */
export async function applyTraffic(ports: TrafficPorts, plan: TrafficPlan, beforeEachCall: () => Promise<void>): Promise<void> {
  for (const change of plan.deregister) {
    await beforeEachCall();
    await ports.targetGroups.deregister(change.targetGroupArn, change.targets);
  }
  for (const instance of plan.deregisterInstances) {
    await beforeEachCall();
    await ports.registry.deregister(instance.registryArn, instance.instanceId);
  }
  for (const change of plan.register) {
    await beforeEachCall();
    await ports.targetGroups.register(change.targetGroupArn, change.targets);
  }
  for (const instance of plan.registerInstances) {
    await beforeEachCall();
    await ports.registry.register(instance.registryArn, { id: instance.instanceId, attributes: instance.attributes });
  }
}
