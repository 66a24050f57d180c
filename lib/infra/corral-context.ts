import { Annotations, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import { isAlarmNamePrefix, type CorralProps } from './corral-props.js';

export type AssignPublicIp = 'ENABLED' | 'DISABLED';

/**
 * Deployment choices of the Corral app read from CDK context (`cdk deploy -c
 * corral:clusterName=main ...` or the `context` block of cdk.json). Everything is optional:
 * whatever is missing is created. A CDK app of your own passes objects to `Corral` instead.
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
  /** Subscribed to Corral's alarm topic. */
  readonly alarmEmail?: string;
  /** `false` leaves out Corral's alarms and dashboard. */
  readonly monitoring?: boolean;
  /** `true` adds the functions' AWS SDK calls to their X-Ray traces (`CorralProps.traceAwsCalls`). */
  readonly traceAwsCalls?: boolean;
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
  alarmEmail: 'corral:alarmEmail',
  monitoring: 'corral:monitoring',
  traceAwsCalls: 'corral:traceAwsCalls',
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
    alarmEmail: optionalString(get(contextKeys.alarmEmail), contextKeys.alarmEmail),
    monitoring: optionalBoolean(get(contextKeys.monitoring), contextKeys.monitoring),
    traceAwsCalls: optionalBoolean(get(contextKeys.traceAwsCalls), contextKeys.traceAwsCalls),
  };
}

/** `-c key=false` arrives as the string "false"; cdk.json may hold a boolean. */
function optionalBoolean(value: unknown, key: string): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new CorralContextError(`${key} must be true or false`);
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
  if (typeof value !== 'string' || !isAlarmNamePrefix(value)) {
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

/**
 * The construct props the context names: an existing cluster by name, a VPC looked up by id
 * (the stack needs an account and Region), subnets and security groups by id.
 */
export function corralPropsFromContext(scope: Construct, context: CorralContext): CorralProps {
  if (context.subnetIds && !context.securityGroupIds && !context.vpcId) {
    throw new CorralContextError(
      `${contextKeys.subnetIds} needs ${contextKeys.securityGroupIds}, or ${contextKeys.vpcId} to create a security group in`,
    );
  }
  const vpc = context.vpcId ? ec2.Vpc.fromLookup(scope, 'Vpc', { vpcId: context.vpcId }) : undefined;
  return {
    ...(vpc ? { vpc } : {}),
    ...(context.clusterName
      ? {
          cluster: ecs.Cluster.fromClusterArn(
            scope,
            'Cluster',
            Stack.of(scope).formatArn({ service: 'ecs', resource: 'cluster', resourceName: context.clusterName }),
          ),
        }
      : {}),
    ...(context.subnetIds
      ? { taskSubnets: { subnets: context.subnetIds.map((id, i) => subnetById(scope, `Subnet${i}`, id)) } }
      : {}),
    ...(context.securityGroupIds
      ? {
          securityGroups: context.securityGroupIds.map((id, i) =>
            ec2.SecurityGroup.fromSecurityGroupId(scope, `SecurityGroup${i}`, id, { mutable: false }),
          ),
        }
      : {}),
    ...(context.assignPublicIp ? { assignPublicIp: context.assignPublicIp === 'ENABLED' } : {}),
    ...(context.alarmNamePrefix !== undefined ? { alarmNamePrefix: context.alarmNamePrefix } : {}),
    ...(context.alarmEmail ? { alarmEmail: context.alarmEmail } : {}),
    ...(context.monitoring !== undefined ? { monitoring: context.monitoring } : {}),
    ...(context.traceAwsCalls !== undefined ? { traceAwsCalls: context.traceAwsCalls } : {}),
  };
}

/** Only the id reaches RunTask; the route table CDK warns about is never read. */
function subnetById(scope: Construct, id: string, subnetId: string): ec2.ISubnet {
  const subnet = ec2.Subnet.fromSubnetId(scope, id, subnetId);
  Annotations.of(subnet).acknowledgeWarning('@aws-cdk/aws-ec2:noSubnetRouteTableId', 'Tasks only need the subnet id.');
  return subnet;
}
