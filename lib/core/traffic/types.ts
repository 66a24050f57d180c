/**
 * The traffic planner's inputs and outputs: which of a service's tasks go into its target groups
 * and Cloud Map service, which come out, and which planned stops wait for draining. Pure data,
 * like the planner's (lib/core/planner/types.ts).
 */

/** Where a revision's tasks take traffic: from its task template's loadBalancers and serviceRegistries. */
export interface TrafficBinding {
  loadBalancers: readonly { targetGroupArn: string; containerPort: number }[];
  registries: readonly { registryArn: string; port?: number }[];
}

/** One task of the service, as ECS shows it. */
export interface TrafficTask {
  taskArn: string;
  /** The last part of the ARN: the Cloud Map instance id. */
  taskId: string;
  revision: number;
  /** Private IPv4 of the task's ENI; absent before it is attached. */
  ip?: string;
  lastStatus: string;
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
}

/** Elastic Load Balancing's target states. */
export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

export interface TrafficObserved {
  /** Per target group: every target it holds (DescribeTargetHealth). */
  targets: Readonly<Record<string, readonly { ip: string; port: number; state: TargetState }[]>>;
  /** Per Cloud Map service: every instance (ListInstances). */
  instances: Readonly<Record<string, readonly { id: string; attributes: Readonly<Record<string, string>> }[]>>;
  /** Per target group whose delay is known: `deregistration_delay.timeout_seconds` in ms. */
  drainingMs: Readonly<Record<string, number>>;
  /** taskArn → the drains Corral started to stop tasks (from the last status). */
  draining: Readonly<Record<string, Drain>>;
}

/** A task Corral took out of traffic to stop it: since when, and whether because its target failed. */
export interface Drain {
  since: number;
  /** It was `failing`: it stays so (UNHEALTHY to the planner) while it drains, so its stop holds. */
  failing?: boolean;
}

/**
 * A task's place in traffic, the readiness gate's input to the planner: `ready` when every target
 * is `healthy` and the Cloud Map instance is registered, `pending` before, `failing` when a target
 * turned `unhealthy` (the load balancer's check fails), `draining` once deregistered to be stopped.
 */
export type TrafficReadiness = 'ready' | 'pending' | 'failing' | 'draining';

export interface TargetChange {
  targetGroupArn: string;
  targets: { ip: string; port: number }[];
}

export interface TrafficPlan {
  /** Deregistrations first: they take tasks out before anything is stopped or started. */
  deregister: TargetChange[];
  deregisterInstances: { registryArn: string; instanceId: string }[];
  register: TargetChange[];
  registerInstances: { registryArn: string; instanceId: string; attributes: Record<string, string> }[];
  /** The planner's stops whose tasks are out of traffic: these may be stopped now. */
  releasedStops: string[];
  /** The planner's stops that wait for draining. */
  heldStops: string[];
  /** The next `status.draining`. */
  draining: Record<string, Drain>;
  /** Look again then: when draining ends, or a target's health may have changed. */
  requeueAfterMs?: number;
}
