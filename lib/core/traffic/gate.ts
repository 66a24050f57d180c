import type { Plan, ServiceStatus } from '../planner/types.js';
import type { TrafficPlan } from './types.js';

/**
 * The planner's plan with the traffic plan folded in: only stops of tasks out of traffic remain,
 * the status remembers which tasks drain (and is the previous one when nothing changed), events
 * about stops already announced while their task drains are not repeated, and the requeue is the
 * earlier of the two.
 */
export function gateStops(plan: Plan, traffic: TrafficPlan, previous: ServiceStatus | undefined): Plan {
  const released = new Set(traffic.releasedStops);
  const announced = new Set(Object.keys(previous?.draining ?? {}));
  const stop = plan.stop.filter((s) => released.has(s.taskArn));
  const repeatsOnly = plan.stop.length > 0 && plan.stop.every((s) => announced.has(s.taskArn));
  const events = plan.events.filter((e) => !(e.taskArn !== undefined && announced.has(e.taskArn)) && !(repeatsOnly && e.type === 'ScaledDown'));
  const { draining: _, ...planned } = plan.status;
  const status: ServiceStatus = Object.keys(traffic.draining).length > 0 ? { ...planned, draining: traffic.draining } : planned;
  const requeue = Math.min(plan.requeueAfterMs ?? Infinity, traffic.requeueAfterMs ?? Infinity);
  const gated: Plan = { ...plan, stop, events, status: previous !== undefined && sameJson(previous, status) ? previous : status };
  if (requeue === Infinity) delete gated.requeueAfterMs;
  else gated.requeueAfterMs = requeue;
  return gated;
}

/** Whether the traffic plan calls anything. */
export function trafficActs(traffic: TrafficPlan): boolean {
  return traffic.register.length + traffic.deregister.length + traffic.registerInstances.length + traffic.deregisterInstances.length > 0;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a, sortedKeys) === JSON.stringify(b, sortedKeys);
}

function sortedKeys(_: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}
