import { RemovalPolicy, Token, type Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { infraDefaults } from './defaults.js';

export type CorralFunctionName = 'api' | 'reconciler' | 'dispatcher' | 'rotation';

export interface CorralApiThrottling {
  /** Steady requests per second for the whole stage. @default 50 */
  readonly rateLimit?: number;
  /** Burst of requests for the whole stage. @default 100 */
  readonly burstLimit?: number;
}

/**
 * When an alarm fires: each is "above this, in one 5-minute period" unless it says otherwise.
 * Defaults: infraDefaults.monitoring.thresholds.
 */
export interface CorralAlarmThresholds {
  /** Messages waiting in a dead-letter queue (each queue has its own alarm). @default 0: any message */
  readonly deadLetterMessages?: number;
  /**
   * Failed reconciler invocations: crashes and timeouts. A service whose reconcile fails is
   * reported as a batch item failure and counted in ReconcileErrors, not here.
   * @default 0
   */
  readonly reconcilerErrors?: number;
  /**
   * Failed dispatcher invocations: crashes and timeouts of the one-minute tick (jobs, the sweep,
   * orphan collection) or of a wake-up. @default 0
   */
  readonly dispatcherErrors?: number;
  /** Throttled reconciler invocations. @default 0 */
  readonly reconcilerThrottles?: number;
  /** Age of the oldest desired-state change the reconciler has not yet read from the table's stream. @default 5 minutes */
  readonly streamIteratorAge?: Duration;
  /** Share of API requests answered with a 5xx (0.05 is 5 %), three periods in a row. @default 0.05 */
  readonly api5xxRate?: number;
  /** p99 API latency, three periods in a row. @default 3 seconds */
  readonly apiLatencyP99?: Duration;
  /** Rollouts that ended Failed. @default 0 */
  readonly rolloutsFailed?: number;
  /** Leases taken over while their holder still acted (LeaseLost). @default 0 */
  readonly leasesLost?: number;
  /** Job runs that could not start within their starting deadline (JobRuns, outcome Missed). @default 0 */
  readonly jobRunsMissed?: number;
  /** Job runs that ended Failed (JobRuns, outcome Failed). @default 0 */
  readonly jobRunsFailed?: number;
  /** Secret rotations that failed (RotationFailed). @default 0 */
  readonly rotationsFailed?: number;
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
  /**
   * Corral's alarms and dashboard (docs/operations.md lists every alarm). `false` creates
   * neither, nor the alarm topic.
   * @default true
   */
  readonly monitoring?: boolean;
  /**
   * The SNS topic every alarm (and its return to OK) is sent to. A topic of your own keeps its
   * own access policy: it must let `cloudwatch.amazonaws.com` publish (and use its key).
   * @default a new topic, HTTPS only, encrypted with `encryptionKey` when one is given
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * An email address subscribed to the alarm topic; SNS mails it a confirmation link first.
   * @default no subscription
   */
  readonly alarmEmail?: string;
  /** When each alarm fires. @default see `CorralAlarmThresholds` */
  readonly alarmThresholds?: CorralAlarmThresholds;
  /** Tags added to every resource Corral creates. @default none */
  readonly tags?: { readonly [key: string]: string };
  /**
   * Adds each AWS SDK call the functions make (DynamoDB, ECS, SQS...) to their X-Ray traces, as
   * subsegments, through Powertools Tracer. Lambda and the API stage trace every request and
   * invocation either way; this adds the X-Ray SDK to each function's bundle, about 125 KB and
   * 20 ms of every cold start, and a hook on every promise.
   * @default false
   */
  readonly traceAwsCalls?: boolean;
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
  readonly monitoring: boolean;
  readonly alarmThresholds: ResolvedAlarmThresholds;
  readonly traceAwsCalls: boolean;
}

export type ResolvedAlarmThresholds = { readonly [K in keyof CorralAlarmThresholds]-?: NonNullable<CorralAlarmThresholds[K]> };

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
  const monitoring = props.monitoring ?? true;
  if (!monitoring) {
    for (const field of ['alarmTopic', 'alarmEmail', 'alarmThresholds'] as const) {
      if (props[field] !== undefined) throw new CorralPropsError(`${field} needs monitoring, which is false`);
    }
  }
  if (props.alarmEmail !== undefined && !Token.isUnresolved(props.alarmEmail) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.alarmEmail)) {
    throw new CorralPropsError(`alarmEmail must be an email address, got ${JSON.stringify(props.alarmEmail)}`);
  }
  const alarmThresholds = { ...infraDefaults.monitoring.thresholds, ...definedOnly(props.alarmThresholds ?? {}) };
  for (const [field, value] of Object.entries(alarmThresholds)) {
    if (typeof value === 'number') checkThreshold(`alarmThresholds.${field}`, value);
  }
  if (alarmThresholds.api5xxRate > 1) {
    throw new CorralPropsError(`alarmThresholds.api5xxRate is a share of requests between 0 and 1, got ${alarmThresholds.api5xxRate}`);
  }
  return {
    ...props,
    monitoring,
    alarmThresholds,
    logRetention: props.logRetention ?? infraDefaults.logRetention,
    alarmNamePrefix,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    deletionProtection: props.deletionProtection ?? false,
    apiThrottling,
    reservedConcurrency,
    tags: props.tags ?? {},
    traceAwsCalls: props.traceAwsCalls ?? infraDefaults.traceAwsCalls,
  };
}

function checkThreshold(field: string, value: number): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isFinite(value) || value < 0) throw new CorralPropsError(`${field} must be a number of at least 0, got ${value}`);
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function checkCount(field: string, value: number, minimum: number): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < minimum) {
    throw new CorralPropsError(`${field} must be an integer of at least ${minimum}, got ${value}`);
  }
}
