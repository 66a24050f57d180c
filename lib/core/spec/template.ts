import { createHash } from 'node:crypto';
import type { HealthCheck, ServiceRegistry, ServiceSpec } from './service-spec.js';

/**
 * What a task is made of: everything that goes into its ECS task definition. A change here is
 * a new revision that a rollout must roll out; replicas and rollout policy are not in it.
 */
export interface TaskTemplate {
  image: string;
  command?: string[];
  environment: Record<string, string>;
  secrets: Record<string, string>;
  cpu: number;
  memory: number;
  healthCheck?: HealthCheck;
  port?: number;
  /** Target groups with the port resolved; absent (not []) without any, so older templates hash alike. */
  loadBalancers?: { targetGroupArn: string; containerPort: number }[];
  serviceRegistries?: ServiceRegistry[];
}

/** The parts of a spec (service or job) that make a task template. */
export type TemplateSource = Pick<ServiceSpec, 'image' | 'environment' | 'secrets' | 'cpu' | 'memory'> &
  Partial<Pick<ServiceSpec, 'command' | 'healthCheck' | 'port' | 'loadBalancers' | 'serviceRegistries'>>;

export function templateOf(spec: TemplateSource): TaskTemplate {
  return {
    image: spec.image,
    ...(spec.command === undefined ? {} : { command: [...spec.command] }),
    environment: Object.fromEntries(Object.entries(spec.environment)),
    secrets: Object.fromEntries(Object.entries(spec.secrets)),
    cpu: spec.cpu,
    memory: spec.memory,
    ...(spec.healthCheck === undefined
      ? {}
      : { healthCheck: { ...spec.healthCheck, command: [...spec.healthCheck.command] } }),
    ...(spec.port === undefined ? {} : { port: spec.port }),
    ...(spec.loadBalancers?.length
      ? {
          loadBalancers: spec.loadBalancers.map((b) => ({
            targetGroupArn: b.targetGroupArn,
            // The validator refuses a load balancer with neither port, so one of the two is set.
            containerPort: (b.containerPort ?? spec.port) as number,
          })),
        }
      : {}),
    ...(spec.serviceRegistries?.length ? { serviceRegistries: spec.serviceRegistries.map((r) => ({ registryArn: r.registryArn })) } : {}),
  };
}

/**
 * A stable fingerprint of a template: SHA-256 (hex) of its canonical JSON, object keys sorted
 * at every level and absent fields left out, so {A, B} and {B, A} environments hash alike
 * while a reordered command does not.
 */
export function templateHash(template: TaskTemplate): string {
  return createHash('sha256').update(canonicalJson(template)).digest('hex');
}

/** JSON with object keys sorted at every level and undefined fields left out: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
