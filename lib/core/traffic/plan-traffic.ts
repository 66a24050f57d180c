import type { TargetChange, TargetState, TrafficBinding, TrafficObserved, TrafficPlan, TrafficReadiness, TrafficTask } from './types.js';

/** How often a reconcile looks again while a target's health may still change (ELB sends no event). */
export const TRAFFIC_POLL_MS = 5_000;
/** Elastic Load Balancing's default deregistration delay, for a group whose delay was not read. */
export const DEFAULT_DRAINING_MS = 300_000;
/** Cloud Map attribute naming the Corral service an instance belongs to, so strays can be found. */
export const SERVICE_ATTRIBUTE = 'CORRAL_SERVICE';

const BEFORE_RUNNING = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

export interface PlanTrafficInput {
  service: string;
  tasks: readonly TrafficTask[];
  binding: (revision: number) => TrafficBinding | undefined;
  observed: TrafficObserved;
  /** The planner's stops (task ARNs): each waits until its task is out of traffic. */
  stops: readonly string[];
  now: number;
}

/**
 * A task's readiness for the planner's availability gate (undefined: the revision takes no
 * traffic, so container health alone decides). Worked example, one target group and a Cloud Map
 * service: target `initial` → pending; target `healthy` but no instance yet → pending; both →
 * ready; target `unhealthy` → failing (the planner replaces it); deregistered → draining.
 */
export function trafficReadiness(task: TrafficTask, binding: TrafficBinding | undefined, observed: TrafficObserved): TrafficReadiness | undefined {
  if (!binding || (binding.loadBalancers.length === 0 && binding.registries.length === 0)) return undefined;
  const drain = observed.draining[task.taskArn];
  if (drain !== undefined) return drain.failing ? 'failing' : 'draining';
  if (task.ip === undefined) return 'pending';
  const states = binding.loadBalancers.map((lb) => stateOf(observed, lb.targetGroupArn, task.ip!, lb.containerPort));
  if (states.includes('draining')) return 'draining';
  if (states.includes('unhealthy')) return 'failing';
  const registered = binding.registries.every((r) => (observed.instances[r.registryArn] ?? []).some((i) => i.id === task.taskId));
  return registered && states.every((s) => s === 'healthy') ? 'ready' : 'pending';
}

/**
 * What to register, deregister and which planned stops may go ahead, for one reconcile:
 *
 * - a task RUNNING and staying is registered in every target group of its revision that does not
 *   hold it (again, if it was drained and the planner changed its mind), and in its Cloud Map
 *   service once every target is `healthy`;
 * - a task leaving — a planned stop, stopping or stopped on its own, UNHEALTHY — is deregistered
 *   wherever it is still registered: fast removal, before anything else happens;
 * - a planned stop goes ahead only once no target of its task is left (draining over); until then
 *   it is held and the reconcile comes back when the longest deregistration delay ends;
 * - Cloud Map instances tagged with this service whose task no longer serves are deregistered
 *   (strays after a crash between the calls).
 *
 * Worked example, deregistration delay 5 s: at t=0 the planner stops task A (healthy in one
 * group) → deregister A, hold its stop, draining {A: {since: 0}}, requeue in 5000 ms. At t=5 s the group
 * no longer lists A → the stop is released and `draining` forgets A.
 */
export function planTraffic(input: PlanTrafficInput): TrafficPlan {
  const { observed, now } = input;
  const stopping = new Set(input.stops);
  const register = new Changes();
  const deregister = new Changes();
  const plan: TrafficPlan = { deregister: [], deregisterInstances: [], register: [], registerInstances: [], releasedStops: [], heldStops: [], draining: {} };
  const serving = new Set<string>();
  let requeueAt = Infinity;

  for (const task of input.tasks) {
    const binding = input.binding(task.revision);
    if (!binding) continue;
    const leaving = stopping.has(task.taskArn) || task.desiredStatus === 'STOPPED' || !isUpOrComing(task) || task.healthStatus === 'UNHEALTHY';
    const staying = !leaving && task.lastStatus === 'RUNNING' && task.ip !== undefined;
    if (staying) serving.add(task.taskId);
    let drainingUntil = -Infinity;
    let allHealthy = true;
    for (const lb of binding.loadBalancers) {
      if (task.ip === undefined) continue;
      const state = stateOf(observed, lb.targetGroupArn, task.ip, lb.containerPort);
      const target = { ip: task.ip, port: lb.containerPort };
      if (state !== 'healthy') allHealthy = false;
      if (staying && (state === undefined || state === 'unused' || state === 'draining')) {
        register.add(lb.targetGroupArn, target);
        requeueAt = Math.min(requeueAt, now + TRAFFIC_POLL_MS);
      } else if (staying && state !== 'healthy') {
        requeueAt = Math.min(requeueAt, now + TRAFFIC_POLL_MS);
      }
      if (leaving && state !== undefined && state !== 'unused' && state !== 'draining') deregister.add(lb.targetGroupArn, target);
      if (leaving && state !== undefined && state !== 'unused') {
        const since = observed.draining[task.taskArn]?.since ?? now;
        drainingUntil = Math.max(drainingUntil, since + (observed.drainingMs[lb.targetGroupArn] ?? DEFAULT_DRAINING_MS));
      }
    }
    for (const registry of binding.registries) {
      const present = (observed.instances[registry.registryArn] ?? []).some((i) => i.id === task.taskId);
      // Found by name only once the load balancer would route to it, as Kubernetes lists only ready endpoints.
      if (staying && !present && allHealthy) {
        const port = registry.port ?? binding.loadBalancers[0]?.containerPort;
        plan.registerInstances.push({
          registryArn: registry.registryArn,
          instanceId: task.taskId,
          attributes: { AWS_INSTANCE_IPV4: task.ip!, ...(port === undefined ? {} : { AWS_INSTANCE_PORT: String(port) }), [SERVICE_ATTRIBUTE]: input.service },
        });
        requeueAt = Math.min(requeueAt, now + TRAFFIC_POLL_MS);
      }
      if (leaving && present) plan.deregisterInstances.push({ registryArn: registry.registryArn, instanceId: task.taskId });
    }
    if (!stopping.has(task.taskArn)) continue;
    if (drainingUntil === -Infinity) {
      plan.releasedStops.push(task.taskArn);
    } else {
      plan.heldStops.push(task.taskArn);
      plan.draining[task.taskArn] = observed.draining[task.taskArn] ?? {
        since: now,
        ...(trafficReadiness(task, binding, observed) === 'failing' ? { failing: true } : {}),
      };
      // ELB may list a target a moment past its delay: then look again a second later.
      requeueAt = Math.min(requeueAt, Math.max(drainingUntil, now + 1_000));
    }
  }
  for (const [registryArn, instances] of Object.entries(observed.instances)) {
    for (const instance of instances) {
      const ours = instance.attributes[SERVICE_ATTRIBUTE] === input.service;
      const known = plan.deregisterInstances.some((d) => d.registryArn === registryArn && d.instanceId === instance.id);
      if (ours && !serving.has(instance.id) && !known) plan.deregisterInstances.push({ registryArn, instanceId: instance.id });
    }
  }
  plan.register = register.list();
  plan.deregister = deregister.list();
  if (requeueAt !== Infinity) plan.requeueAfterMs = Math.max(1, Math.ceil(requeueAt - now));
  return plan;
}

function isUpOrComing(task: TrafficTask): boolean {
  return task.lastStatus === 'RUNNING' || BEFORE_RUNNING.has(task.lastStatus);
}

function stateOf(observed: TrafficObserved, targetGroupArn: string, ip: string, port: number): TargetState | undefined {
  return observed.targets[targetGroupArn]?.find((t) => t.ip === ip && t.port === port)?.state;
}

/** Targets grouped by target group, each once, in first-seen order. */
class Changes {
  private readonly byGroup = new Map<string, Map<string, { ip: string; port: number }>>();

  add(targetGroupArn: string, target: { ip: string; port: number }): void {
    const group = this.byGroup.get(targetGroupArn) ?? new Map();
    group.set(`${target.ip}:${target.port}`, target);
    this.byGroup.set(targetGroupArn, group);
  }

  list(): TargetChange[] {
    return [...this.byGroup].map(([targetGroupArn, targets]) => ({ targetGroupArn, targets: [...targets.values()] }));
  }
}
