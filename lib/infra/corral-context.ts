import type { Construct } from 'constructs';

export type AssignPublicIp = 'ENABLED' | 'DISABLED';

/**
 * Deployment choices read from CDK context (`cdk deploy -c corral:clusterName=main ...` or the
 * `context` block of cdk.json). Everything is optional: whatever is missing is created.
 */
export interface CorralContext {
  /** An existing ECS cluster in the stack's account and Region. */
  readonly clusterName?: string;
  /** An existing VPC; needed to create a security group or pick subnets when they are not given. */
  readonly vpcId?: string;
  readonly subnetIds?: readonly string[];
  readonly securityGroupIds?: readonly string[];
  readonly assignPublicIp?: AssignPublicIp;
  /** Alarms `rollout.alarms` may name start with this ('' for any alarm). */
  readonly alarmNamePrefix?: string;
}

export class CorralContextError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CorralContextError';
  }
}

export const contextKeys = {
  clusterName: 'corral:clusterName',
  vpcId: 'corral:vpcId',
  subnetIds: 'corral:subnetIds',
  securityGroupIds: 'corral:securityGroupIds',
  assignPublicIp: 'corral:assignPublicIp',
  alarmNamePrefix: 'corral:alarmNamePrefix',
} as const;

export function readCorralContext(scope: Construct): CorralContext {
  const get = (key: string): unknown => scope.node.tryGetContext(key);
  return {
    clusterName: optionalString(get(contextKeys.clusterName), contextKeys.clusterName),
    vpcId: optionalString(get(contextKeys.vpcId), contextKeys.vpcId),
    subnetIds: optionalList(get(contextKeys.subnetIds), contextKeys.subnetIds),
    securityGroupIds: optionalList(get(contextKeys.securityGroupIds), contextKeys.securityGroupIds),
    assignPublicIp: optionalAssignPublicIp(get(contextKeys.assignPublicIp)),
    alarmNamePrefix: alarmPrefix(get(contextKeys.alarmNamePrefix)),
  };
}

function optionalString(value: unknown, key: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new CorralContextError(`${key} must be a string`);
  return value.trim();
}

/** `-c key=a,b` arrives as a string; cdk.json may hold a JSON array. Both are accepted. */
function optionalList(value: unknown, key: string): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!items || items.some((item) => typeof item !== 'string')) {
    throw new CorralContextError(`${key} must be a comma-separated string or a list of strings`);
  }
  const trimmed = (items as string[]).map((item) => item.trim()).filter((item) => item !== '');
  return trimmed.length > 0 ? trimmed : undefined;
}

/** '' is a real choice here (any alarm), so it is kept rather than read as "not given". */
function alarmPrefix(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !/^[^*?]{0,200}$/.test(value)) {
    throw new CorralContextError(`${contextKeys.alarmNamePrefix} must be a string of at most 200 characters without * or ?`);
  }
  return value;
}

function optionalAssignPublicIp(value: unknown): AssignPublicIp | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true' || value === 'ENABLED') return 'ENABLED';
  if (value === false || value === 'false' || value === 'DISABLED') return 'DISABLED';
  throw new CorralContextError(`${contextKeys.assignPublicIp} must be ENABLED or DISABLED`);
}
