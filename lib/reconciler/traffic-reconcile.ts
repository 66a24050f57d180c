import type { Clock } from '../clock.js';
import type { Desired, ObservedTask, Plan, ServiceStatus } from '../core/planner/index.js';
import { gateStops, planTraffic, trafficActs } from '../core/traffic/index.js';
import type { ObservedTask as EcsTask } from '../aws/container-runtime.js';
import type { PlanningRevision } from '../aws/state/planning-digest.js';
import { TrafficError, TrafficResourceNotFoundError } from '../aws/traffic-errors.js';
import { TerminalError } from './errors.js';
import { observedTasksOf } from './planner-input.js';
import { applyTraffic, bindingsOf, TrafficObserver, type TrafficPorts, trafficTasksOf, withReadiness } from './traffic.js';

export type { TrafficPorts } from './traffic.js';

export interface TrafficDecision {
  plan: Plan;
  /** The traffic plan calls Elastic Load Balancing or Cloud Map. */
  acts: boolean;
  /** Deregistrations, then registrations; a terminal traffic error comes out as a TerminalError. */
  applyTraffic(beforeEachCall: () => Promise<void>): Promise<void>;
}

export interface TrafficDecisionInput {
  name: string;
  desired: Desired;
  revisions: readonly PlanningRevision[];
  previous: ServiceStatus | undefined;
  tasks: EcsTask[];
  /** The planner on the given tasks (time and spec already bound). */
  planned: (tasks: ObservedTask[]) => Plan;
}

const observers = new WeakMap<TrafficPorts, TrafficObserver>();

/**
 * Plans one reconcile of a service with its traffic: observe the target groups and Cloud Map
 * services its revisions in use take traffic from, gate availability on readiness, plan, then fold
 * in the traffic plan (registrations, deregistrations, stops held while draining). A service
 * without traffic costs nothing extra. A missing or unusable target group or Cloud Map service of
 * the wanted revision is a TerminalError; one only an old revision used may be gone.
 */
export async function decideWithTraffic(deps: { traffic?: TrafficPorts; clock: Clock }, input: TrafficDecisionInput): Promise<TrafficDecision> {
  const { desired, previous } = input;
  const observedTasks = observedTasksOf(input.tasks, previous);
  const bindings = bindingsOf(input.revisions);
  if (bindings.size === 0) return { plan: input.planned(observedTasks), acts: false, applyTraffic: async () => {} };
  if (!deps.traffic) throw new Error(`service ${input.name} uses loadBalancers or serviceRegistries, but this reconciler has no traffic ports`);
  const ports = deps.traffic;
  let observer = observers.get(ports);
  if (!observer) observers.set(ports, (observer = new TrafficObserver(ports, deps.clock)));
  // Revisions in use: the wanted one (unless deleting) and any ECS still lists a task of (a stopped
  // one may still be registered after a crash).
  const inUse = new Set(input.tasks.flatMap((t) => (t.revision === undefined ? [] : [t.revision])));
  const wanted = desired.deleting ? [] : [bindings.get(desired.revision)].filter((b) => b !== undefined);
  const others = [...bindings].filter(([revision]) => inUse.has(revision) && revision !== desired.revision).map(([, b]) => b);
  const seen = await terminalIfUnusable(observer.observe(wanted, others, previous?.draining ?? {}));
  const trafficTasks = trafficTasksOf(input.tasks);
  const planned = input.planned(withReadiness(observedTasks, trafficTasks, bindings, seen));
  const traffic = planTraffic({
    service: input.name,
    tasks: trafficTasks,
    binding: (revision) => bindings.get(revision),
    observed: seen,
    stops: planned.stop.map((s) => s.taskArn),
    now: deps.clock.now(),
  });
  return {
    plan: gateStops(planned, traffic, previous),
    acts: trafficActs(traffic),
    applyTraffic: (beforeEachCall) => terminalIfUnusable(applyTraffic(ports, traffic, beforeEachCall)),
  };
}

/** A terminal traffic error as the reconciler's TerminalError (reason TargetGroupNotFound, ServiceRegistryNotFound or TrafficResourceUnusable). */
async function terminalIfUnusable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof TrafficError) || !error.terminal) throw error;
    const registry = error.resource.includes(':servicediscovery:');
    if (error instanceof TrafficResourceNotFoundError) {
      const what = registry ? `Cloud Map service ${error.resource}` : `Target group ${error.resource}`;
      throw new TerminalError(registry ? 'ServiceRegistryNotFound' : 'TargetGroupNotFound', `${what} does not exist (${error.operation})`, { cause: error });
    }
    throw new TerminalError('TrafficResourceUnusable', `${error.resource} cannot take this service's tasks: ${error.message}`, { cause: error });
  }
}
