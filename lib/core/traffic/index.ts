export { DEFAULT_DRAINING_MS, planTraffic, SERVICE_ATTRIBUTE, TRAFFIC_POLL_MS, trafficReadiness, type PlanTrafficInput } from './plan-traffic.js';
export type { Drain, TargetChange, TargetState, TrafficBinding, TrafficObserved, TrafficPlan, TrafficReadiness, TrafficTask } from './types.js';
export { gateStops, trafficActs } from './gate.js';
