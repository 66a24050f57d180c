import { DEFAULT_ALARM_NAME_PREFIX } from '../core/planner/defaults.js';

/**
 * The Lambda functions' settings, from the environment variables the stack sets
 * (lib/infra). Read once per cold start; a missing required one fails loudly.
 */
export interface CorralEnvironment {
  tableName: string;
  clusterArn: string;
  requeueQueueUrl: string;
  /** The dispatcher's precise wake-ups (jobs due between one-minute ticks). */
  wakeUpQueueUrl: string;
  subnetIds: string[];
  securityGroupIds: string[];
  assignPublicIp: boolean;
  executionRoleArn: string;
  taskRoleArn: string;
  logGroupPrefix: string;
  /** Rollout alarms must be named with this ('' for any), as the stack's IAM allows. */
  alarmNamePrefix: string;
  rotationFunctionArn?: string;
  region: string;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): CorralEnvironment {
  return {
    tableName: required(env, 'TABLE_NAME'),
    clusterArn: env.CLUSTER_ARN ?? '',
    requeueQueueUrl: env.REQUEUE_QUEUE_URL ?? '',
    wakeUpQueueUrl: env.WAKE_UP_QUEUE_URL ?? '',
    subnetIds: list(env.SUBNET_IDS),
    securityGroupIds: list(env.SECURITY_GROUP_IDS),
    assignPublicIp: env.ASSIGN_PUBLIC_IP === 'ENABLED',
    executionRoleArn: env.EXECUTION_ROLE_ARN ?? '',
    taskRoleArn: env.TASK_ROLE_ARN ?? '',
    logGroupPrefix: env.LOG_GROUP_PREFIX ?? '/corral/services/',
    alarmNamePrefix: env.ALARM_NAME_PREFIX ?? DEFAULT_ALARM_NAME_PREFIX,
    ...(env.ROTATION_FUNCTION_ARN ? { rotationFunctionArn: env.ROTATION_FUNCTION_ARN } : {}),
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
  };
}
