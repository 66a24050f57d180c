import { randomBytes } from 'node:crypto';
import { AwsError } from '../errors.js';
import { QueryInput } from './query-input.js';

export const protocols = ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE'] as const;
export const targetTypes = ['instance', 'ip', 'lambda', 'alb'] as const;

export interface Tag {
  Key: string;
  Value?: string;
}

/** A target group's settings as CreateTargetGroup stored them, with AWS's defaults applied. */
export interface TargetGroupRecord {
  arn: string;
  name: string;
  protocol?: string;
  protocolVersion?: string;
  port?: number;
  vpcId?: string;
  targetType: string;
  ipAddressType: string;
  healthCheck: {
    protocol?: string;
    port: string;
    enabled: boolean;
    path?: string;
    intervalSeconds: number;
    timeoutSeconds: number;
    healthyThreshold: number;
    unhealthyThreshold: number;
    matcher?: { HttpCode?: string; GrpcCode?: string };
  };
  attributes: Record<string, string>;
  tags: Tag[];
}

/**
 * An Application Load Balancer target group's attributes and their defaults; ModifyTargetGroupAttributes
 * accepts only these keys. `deregistration_delay.timeout_seconds` is how long a deregistered target
 * drains (0..3600).
 */
const attributeDefaults: Record<string, string> = {
  'deregistration_delay.timeout_seconds': '300',
  'stickiness.enabled': 'false',
  'stickiness.type': 'lb_cookie',
  'stickiness.lb_cookie.duration_seconds': '86400',
  'stickiness.app_cookie.cookie_name': '',
  'stickiness.app_cookie.duration_seconds': '86400',
  'slow_start.duration_seconds': '0',
  'load_balancing.algorithm.type': 'round_robin',
  'load_balancing.algorithm.anomaly_mitigation': 'off',
  'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
  'target_group_health.dns_failover.minimum_healthy_targets.count': '1',
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': 'off',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': '1',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': 'off',
};

const httpProtocols = new Set(['HTTP', 'HTTPS']);

/** Builds a target group from a CreateTargetGroup request, refusing what Elastic Load Balancing refuses. */
export function createTargetGroup(input: QueryInput, arnPrefix: string): TargetGroupRecord {
  const name = input.string('Name', { required: true });
  validateName(name);
  const targetType = input.enumeration('TargetType', targetTypes) ?? 'instance';
  const protocol = input.enumeration('Protocol', protocols);
  const port = input.integer('Port', { min: 1, max: 65535 });
  const vpcId = input.string('VpcId');
  if (targetType !== 'lambda') {
    if (protocol === undefined) throw QueryInput.validation('A protocol must be specified');
    if (port === undefined) throw QueryInput.validation('A port must be specified');
    if (vpcId === undefined) throw QueryInput.validation('A VPC ID must be specified');
  }
  const http = protocol === undefined || httpProtocols.has(protocol);
  const healthProtocol = input.enumeration('HealthCheckProtocol', protocols) ?? (protocol === 'HTTPS' ? 'HTTPS' : http ? 'HTTP' : 'TCP');
  const intervalSeconds = input.integer('HealthCheckIntervalSeconds', { min: 5, max: 300 }) ?? 30;
  const timeoutSeconds = input.integer('HealthCheckTimeoutSeconds', { min: 2, max: 120 }) ?? (http ? 5 : 10);
  if (timeoutSeconds >= intervalSeconds) {
    throw QueryInput.validation(`Health check timeout '${timeoutSeconds}' must be smaller than the interval '${intervalSeconds}'`);
  }
  const healthCheckPort = input.string('HealthCheckPort') ?? 'traffic-port';
  if (healthCheckPort !== 'traffic-port' && !(/^\d+$/.test(healthCheckPort) && Number(healthCheckPort) >= 1 && Number(healthCheckPort) <= 65535)) {
    throw QueryInput.validation(`Health check port '${healthCheckPort}' must be 'traffic-port' or a port number 1..65535`);
  }
  const matcher = input.structure('Matcher');
  const httpCode = matcher?.string('HttpCode');
  const healthHttp = httpProtocols.has(healthProtocol);
  return {
    arn: `${arnPrefix}:targetgroup/${name}/${randomBytes(8).toString('hex')}`,
    name,
    protocol,
    protocolVersion: protocol !== undefined && httpProtocols.has(protocol) ? (input.string('ProtocolVersion') ?? 'HTTP1') : undefined,
    port,
    vpcId,
    targetType,
    ipAddressType: input.enumeration('IpAddressType', ['ipv4', 'ipv6'] as const) ?? 'ipv4',
    healthCheck: {
      protocol: healthProtocol,
      port: healthCheckPort,
      enabled: input.boolean('HealthCheckEnabled') ?? true,
      path: healthHttp ? (input.string('HealthCheckPath') ?? '/') : undefined,
      intervalSeconds,
      timeoutSeconds,
      healthyThreshold: input.integer('HealthyThresholdCount', { min: 2, max: 10 }) ?? 5,
      unhealthyThreshold: input.integer('UnhealthyThresholdCount', { min: 2, max: 10 }) ?? 2,
      matcher: healthHttp ? { HttpCode: httpCode ?? '200' } : undefined,
    },
    attributes: { ...attributeDefaults },
    tags: readTags(input) ?? [],
  };
}

/** True when a second CreateTargetGroup of the same name asks for the same thing (it is then answered with the first). */
export function sameSettings(a: TargetGroupRecord, b: TargetGroupRecord): boolean {
  const settings = (g: TargetGroupRecord) => JSON.stringify([g.protocol, g.port, g.vpcId, g.targetType, g.healthCheck]);
  return settings(a) === settings(b);
}

/** A target group as DescribeTargetGroups and CreateTargetGroup answer it. */
export function targetGroupView(group: TargetGroupRecord): Record<string, unknown> {
  return {
    TargetGroupArn: group.arn,
    TargetGroupName: group.name,
    Protocol: group.protocol,
    Port: group.port,
    VpcId: group.vpcId,
    HealthCheckProtocol: group.healthCheck.protocol,
    HealthCheckPort: group.healthCheck.port,
    HealthCheckEnabled: group.healthCheck.enabled,
    HealthCheckIntervalSeconds: group.healthCheck.intervalSeconds,
    HealthCheckTimeoutSeconds: group.healthCheck.timeoutSeconds,
    HealthyThresholdCount: group.healthCheck.healthyThreshold,
    UnhealthyThresholdCount: group.healthCheck.unhealthyThreshold,
    HealthCheckPath: group.healthCheck.path,
    Matcher: group.healthCheck.matcher,
    LoadBalancerArns: [],
    TargetType: group.targetType,
    ProtocolVersion: group.protocolVersion,
    IpAddressType: group.ipAddressType,
  };
}

/** Applies ModifyTargetGroupAttributes' changes: every key must be a target group attribute. */
export function modifyAttributes(group: TargetGroupRecord, input: QueryInput): void {
  const changes: [string, string][] = [];
  for (const attribute of input.structures('Attributes', { required: true }) ?? []) {
    const key = attribute.string('Key', { required: true });
    const value = attribute.string('Value') ?? '';
    if (!(key in attributeDefaults)) throw QueryInput.validation(`Target group attribute key '${key}' is not recognized`);
    if (key === 'deregistration_delay.timeout_seconds' || key === 'slow_start.duration_seconds') {
      const max = key === 'slow_start.duration_seconds' ? 900 : 3600;
      if (!/^\d+$/.test(value) || Number(value) > max) {
        throw QueryInput.validation(`Target group attribute '${key}' must be an integer between 0 and ${max}, got '${value}'`);
      }
    }
    if (key === 'stickiness.enabled' && value !== 'true' && value !== 'false') {
      throw QueryInput.validation(`Target group attribute '${key}' must be 'true' or 'false', got '${value}'`);
    }
    changes.push([key, value]);
  }
  for (const [key, value] of changes) group.attributes[key] = value;
}

export function attributesView(group: TargetGroupRecord): { Key: string; Value: string }[] {
  return Object.entries(group.attributes).map(([Key, Value]) => ({ Key, Value }));
}

/** The deregistration delay in milliseconds. */
export function drainingMs(group: TargetGroupRecord): number {
  return Number(group.attributes['deregistration_delay.timeout_seconds']) * 1000;
}

const tagPattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function readTags(input: QueryInput): Tag[] | undefined {
  const tags = input.structures('Tags');
  if (tags === undefined) return undefined;
  const read = tags.map((tag) => {
    const Key = tag.string('Key', { required: true });
    const Value = tag.string('Value');
    if (Key.length < 1 || Key.length > 128 || !tagPattern.test(Key)) throw QueryInput.validation(`Tag key '${Key}' is not valid`);
    if (Value !== undefined && (Value.length > 256 || !tagPattern.test(Value))) throw QueryInput.validation(`Tag value '${Value}' is not valid`);
    return { Key, Value: Value ?? '' };
  });
  const keys = new Set(read.map((t) => t.Key));
  if (keys.size !== read.length) throw new AwsError('DuplicateTagKeys', 'Tag keys must be unique');
  return read;
}

function validateName(name: string): void {
  if (name.length > 32) throw QueryInput.validation(`Target group name '${name}' can have a maximum of 32 characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name)) {
    throw QueryInput.validation(`Target group name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
  }
  if (name.startsWith('-') || name.endsWith('-')) throw QueryInput.validation(`Target group name '${name}' cannot begin or end with '-'`);
  if (name.toLowerCase().startsWith('internal-')) throw QueryInput.validation(`Target group name '${name}' cannot begin with 'internal-'`);
}
