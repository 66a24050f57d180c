import { RemovalPolicy, Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { infraDefaults } from './defaults.js';

export type CorralFunctionName = 'api' | 'reconciler' | 'dispatcher' | 'rotation';

export interface CorralApiThrottling {
  /** Steady requests per second for the whole stage. @default 50 */
  readonly rateLimit?: number;
  /** Burst of requests for the whole stage. @default 100 */
  readonly burstLimit?: number;
}

/**
 * How `new Corral(scope, id, props)` is built. Every property is optional: with none, Corral
 * creates its own cluster and NAT-free VPC, as `cdk deploy` of the Corral app does.
 */
export interface CorralProps {
  /**
   * The VPC Corral's tasks run in.
   * @default the cluster's VPC when `cluster` is an `ecs.Cluster`; otherwise a new two-AZ VPC
   * with public subnets only (no NAT gateway), unless `taskSubnets.subnets` and
   * `securityGroups` are both given, in which case no VPC is needed.
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The ECS cluster Corral runs tasks on (Fargate). Other tasks on it are left alone: Corral
   * only looks at tasks it started (`startedBy` corral…).
   * @default a new cluster with Container Insights and the FARGATE and FARGATE_SPOT providers
   */
  readonly cluster?: ecs.ICluster;
  /**
   * The subnets of the tasks' network interfaces.
   * @default the VPC's private subnets, or its public ones when it has none
   */
  readonly taskSubnets?: ec2.SubnetSelection;
  /**
   * The tasks' security groups.
   * @default one new group in the VPC with no inbound rules and all outbound traffic
   */
  readonly securityGroups?: readonly ec2.ISecurityGroup[];
  /**
   * Give tasks a public IP (needed to pull images from public subnets without a NAT gateway).
   * @default true when the chosen subnets are public, false otherwise
   */
  readonly assignPublicIp?: boolean;
  /**
   * Retention of every log group Corral creates (functions, API access logs, VPC flow logs).
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * A customer managed key for the table, the queues and the log groups. When it is a
   * `kms.Key` of this app, Corral adds the key policy statements CloudWatch Logs and
   * EventBridge need; an imported key's policy must already allow them (docs/operations.md).
   * @default AWS managed encryption (DynamoDB and SQS owned keys, CloudWatch Logs' own)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the table, the log groups and the queues when they leave the stack.
   * @default RemovalPolicy.RETAIN: the table is the users' desired state
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * DynamoDB deletion protection on the table (refuses DeleteTable, even from CloudFormation).
   * @default false: RETAIN already keeps the table when the stack goes
   */
  readonly deletionProtection?: boolean;
  /** Stage-wide throttling of the API. @default 50 requests per second, bursts of 100 */
  readonly apiThrottling?: CorralApiThrottling;
  /**
   * Reserved concurrency per function, e.g. `{ reconciler: 50 }`.
   * @default none: the functions share the account's unreserved concurrency
   */
  readonly reservedConcurrency?: Partial<Record<CorralFunctionName, number>>;
  /**
   * Alarms a spec's `rollout.alarms` may name start with this: the functions may read only
   * those alarms (`cloudwatch:DescribeAlarms` on `arn:...:alarm:<prefix>*`) and the API refuses
   * other names. `''` allows any alarm of the account and Region.
   * @default 'corral-'
   */
  readonly alarmNamePrefix?: string;
  /** Tags added to every resource Corral creates. @default none */
  readonly tags?: { readonly [key: string]: string };
}

export class CorralPropsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CorralPropsError';
  }
}

/** The props with every default filled in (defaults.ts), checked once. */
export interface ResolvedCorralProps extends CorralProps {
  readonly logRetention: logs.RetentionDays;
  readonly alarmNamePrefix: string;
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  readonly apiThrottling: Required<CorralApiThrottling>;
  readonly reservedConcurrency: Partial<Record<CorralFunctionName, number>>;
  readonly tags: { readonly [key: string]: string };
}

/** An alarm name prefix the IAM resource `arn:...:alarm:<prefix>*` can hold: no wildcards, at most 200 characters. */
export function isAlarmNamePrefix(value: string): boolean {
  return /^[^*?]{0,200}$/.test(value);
}

export function resolveCorralProps(props: CorralProps = {}): ResolvedCorralProps {
  const apiThrottling = {
    rateLimit: props.apiThrottling?.rateLimit ?? infraDefaults.api.throttlingRateLimit,
    burstLimit: props.apiThrottling?.burstLimit ?? infraDefaults.api.throttlingBurstLimit,
  };
  for (const [field, value] of Object.entries(apiThrottling)) checkCount(`apiThrottling.${field}`, value, 0);
  const reservedConcurrency = props.reservedConcurrency ?? {};
  for (const [name, value] of Object.entries(reservedConcurrency)) {
    if (!(name in infraDefaults.functions)) {
      throw new CorralPropsError(`reservedConcurrency.${name}: no such function (${Object.keys(infraDefaults.functions).join(', ')})`);
    }
    if (value !== undefined) checkCount(`reservedConcurrency.${name}`, value, 1);
  }
  const alarmNamePrefix = props.alarmNamePrefix ?? infraDefaults.alarmNamePrefix;
  if (!Token.isUnresolved(alarmNamePrefix) && !isAlarmNamePrefix(alarmNamePrefix)) {
    throw new CorralPropsError(`alarmNamePrefix must be at most 200 characters without * or ?, got ${JSON.stringify(alarmNamePrefix)}`);
  }
  return {
    ...props,
    logRetention: props.logRetention ?? infraDefaults.logRetention,
    alarmNamePrefix,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    deletionProtection: props.deletionProtection ?? false,
    apiThrottling,
    reservedConcurrency,
    tags: props.tags ?? {},
  };
}

function checkCount(field: string, value: number, minimum: number): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < minimum) {
    throw new CorralPropsError(`${field} must be an integer of at least ${minimum}, got ${value}`);
  }
}
