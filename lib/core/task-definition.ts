/**
 * The ECS task definition of one service revision, built from the revision's task template.
 *
 * Pure: the result is a plain object shaped like the SDK's `RegisterTaskDefinitionCommandInput`
 * (the ECS adapter passes it to `RegisterTaskDefinitionCommand`, and the compiler checks the two
 * agree there), so `lib/core` needs no AWS SDK.
 */

import type { HealthCheck } from './spec/service-spec.js';
import type { TaskTemplate } from './spec/template.js';

export type { TaskTemplate };

export type CpuArchitecture = 'X86_64' | 'ARM64';

export interface TaskDefinitionParams {
  service: string;
  revision: number;
  template: TaskTemplate;
  executionRoleArn: string;
  taskRoleArn: string;
  logGroup: string;
  region: string;
  cpuArchitecture?: CpuArchitecture;
}

export interface KeyValue {
  name: string;
  value: string;
}

export interface TaskDefinitionInput {
  family: string;
  taskRoleArn: string;
  executionRoleArn: string;
  networkMode: 'awsvpc';
  requiresCompatibilities: 'FARGATE'[];
  cpu: string;
  memory: string;
  runtimePlatform: { cpuArchitecture: CpuArchitecture; operatingSystemFamily: 'LINUX' };
  containerDefinitions: ContainerDefinitionInput[];
  tags: { key: string; value: string }[];
}

export interface ContainerDefinitionInput {
  name: string;
  image: string;
  essential: true;
  command?: string[];
  environment: KeyValue[];
  secrets: { name: string; valueFrom: string }[];
  portMappings: { containerPort: number; protocol: 'tcp' }[];
  healthCheck?: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
  logConfiguration: { logDriver: 'awslogs'; options: Record<string, string> };
}

export const taskDefinitionDefaults = {
  cpuArchitecture: 'X86_64',
  /** The one container of every Corral task; observation reads its exit code and reason. */
  containerName: 'app',
} as const satisfies { cpuArchitecture: CpuArchitecture; containerName: string };

/**
 * How Corral recognises its tasks: RunTask's `startedBy` (≤ 128 chars of [A-Za-z0-9-/_], no
 * colon, so it cannot reuse the tag keys) names the owner for ListTasks, and tags carry the
 * owner and revision for DescribeTasks.
 */
export const serviceTagKey = 'corral:service';
export const revisionTagKey = 'corral:revision';
export const jobTagKey = 'corral:job';

const serviceStartedByPrefix = 'corral/';

export function serviceStartedBy(service: string): string {
  return `${serviceStartedByPrefix}${service}`;
}

/** The service a task belongs to, from its `startedBy` (undefined for jobs and strangers). */
export function serviceOfStartedBy(startedBy: string | undefined): string | undefined {
  return startedBy?.startsWith(serviceStartedByPrefix) ? startedBy.slice(serviceStartedByPrefix.length) : undefined;
}

export function jobStartedBy(job: string): string {
  return `corral-job/${job}`;
}

export function taskDefinitionFamily(service: string): string {
  return `corral-${service}`;
}

export function taskDefinitionFor(params: TaskDefinitionParams): TaskDefinitionInput {
  const { service, revision, template } = params;
  const container: ContainerDefinitionInput = {
    name: taskDefinitionDefaults.containerName,
    image: template.image,
    essential: true,
    ...(template.command === undefined ? {} : { command: [...template.command] }),
    environment: sortedEntries(template.environment).map(([name, value]) => ({ name, value })),
    secrets: sortedEntries(template.secrets).map(([name, secret]) => ({
      name,
      valueFrom: secretValueFrom(secret, params.executionRoleArn, params.region),
    })),
    portMappings: containerPorts(template).map((containerPort) => ({ containerPort, protocol: 'tcp' })),
    ...(template.healthCheck === undefined ? {} : { healthCheck: ecsHealthCheck(template.healthCheck) }),
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': params.logGroup,
        // Services come and go with the API, so their log groups cannot be stack resources: the
        // awslogs driver creates each on first use (the execution role may, for this prefix).
        'awslogs-create-group': 'true',
        'awslogs-region': params.region,
        // Streams are named <prefix>/<container>/<task id>: a per-revision prefix lets one
        // find the logs of a bad rollout without knowing its task ids.
        'awslogs-stream-prefix': `rev${revision}`,
      },
    },
  };
  return {
    family: taskDefinitionFamily(service),
    taskRoleArn: params.taskRoleArn,
    executionRoleArn: params.executionRoleArn,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: String(template.cpu),
    memory: String(template.memory),
    runtimePlatform: {
      cpuArchitecture: params.cpuArchitecture ?? taskDefinitionDefaults.cpuArchitecture,
      operatingSystemFamily: 'LINUX',
    },
    containerDefinitions: [container],
    tags: [
      { key: serviceTagKey, value: service },
      { key: revisionTagKey, value: String(revision) },
    ],
  };
}

/**
 * ECS (like Docker) wants the health check command tagged: `["CMD", exe, ...args]` runs it
 * directly, `["CMD-SHELL", "line"]` runs one line through `/bin/sh -c`. A user who writes a
 * plain command gets:
 *   ["curl -f http://localhost/ || exit 1"]   → ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]
 *   ["curl", "-f", "http://localhost/"]       → ["CMD", "curl", "-f", "http://localhost/"]
 * A single string is a shell line; several strings are already split into arguments, and
 * joining them into one shell line would lose their quoting, so they run directly.
 */
/** The spec's port and every load balancer's container port (ECS requires a mapping for each), once each. */
function containerPorts(template: TaskTemplate): number[] {
  const ports = [template.port, ...(template.loadBalancers ?? []).map((b) => b.containerPort)];
  return [...new Set(ports.filter((p): p is number => p !== undefined))];
}

export function healthCheckCommand(command: readonly string[]): string[] {
  const [first] = command;
  if (first === 'CMD' || first === 'CMD-SHELL') return [...command];
  if (command.length === 1) return ['CMD-SHELL', first];
  return ['CMD', ...command];
}

function ecsHealthCheck(check: HealthCheck): NonNullable<ContainerDefinitionInput['healthCheck']> {
  return {
    command: healthCheckCommand(check.command),
    interval: check.intervalSeconds,
    timeout: check.timeoutSeconds,
    retries: check.retries,
    startPeriod: check.startPeriodSeconds,
  };
}

/**
 * ECS reads a bare `valueFrom` name as an SSM Parameter Store parameter, so a Secrets Manager
 * secret given by name becomes a partial ARN (`arn:<partition>:secretsmanager:<region>:
 * <account>:secret:<name>`, without the 6-character suffix), which Secrets Manager resolves.
 * Account and partition come from the execution role: it is the role that fetches the secret
 * and lives in the stack's account. An ARN is kept as written (it may name a JSON key or a
 * version: `arn:...:secret:db-AbCdEf:password::`).
 */
export function secretValueFrom(secret: string, executionRoleArn: string, region: string): string {
  if (secret.startsWith('arn:')) return secret;
  const [, partition, , , account] = executionRoleArn.split(':');
  return `arn:${partition}:secretsmanager:${region}:${account}:secret:${secret}`;
}

function sortedEntries(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
