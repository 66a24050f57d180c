/**
 * The ports through which reconcilers put tasks into traffic and take them out: load balancer
 * target groups (`TargetGroups`, Elastic Load Balancing v2) and service discovery
 * (`DiscoveryRegistry`, Cloud Map). Adapters: `ElbTargetGroups`, `CloudMapRegistry`. Errors are
 * `TrafficError`s (lib/aws/traffic-errors.ts).
 */

/** A target of type ip: a task's private address and the container port traffic goes to. */
export interface Target {
  ip: string;
  port: number;
}

/** Elastic Load Balancing's target health states. */
export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

export interface TargetHealth extends Target {
  state: TargetState;
  /** e.g. `Target.Timeout`, `Elb.InitialHealthChecking`. */
  reason?: string;
}

export interface TargetGroups {
  /** Registers targets; registering one already registered is a no-op. */
  register(targetGroupArn: string, targets: readonly Target[]): Promise<void>;
  /** Starts draining targets; one not registered is left alone. */
  deregister(targetGroupArn: string, targets: readonly Target[]): Promise<void>;
  /** Every target the group holds, draining ones included, with its health. */
  health(targetGroupArn: string): Promise<TargetHealth[]>;
  /** `deregistration_delay.timeout_seconds`, in milliseconds. */
  drainingMs(targetGroupArn: string): Promise<number>;
}

export interface DiscoveryInstance {
  id: string;
  attributes: Record<string, string>;
}

export interface DiscoveryRegistry {
  /** Registers (or updates) an instance of the Cloud Map service `registryArn`. */
  register(registryArn: string, instance: DiscoveryInstance): Promise<void>;
  /** Deregisters an instance; one that is not registered counts as deregistered. */
  deregister(registryArn: string, instanceId: string): Promise<void>;
  /** Every instance of the service, all pages. */
  list(registryArn: string): Promise<DiscoveryInstance[]>;
}

/** "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-abc" → "srv-abc". */
export function registryServiceId(registryArn: string): string {
  return registryArn.slice(registryArn.lastIndexOf('/') + 1);
}

/** Both traffic ports, as a reconciler takes them. */
export interface TrafficPorts {
  targetGroups: TargetGroups;
  registry: DiscoveryRegistry;
}
