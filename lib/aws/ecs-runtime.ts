import {
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
  type Task,
} from '@aws-sdk/client-ecs';
import { jobTagKey, revisionTagKey, serviceTagKey, taskDefinitionDefaults } from '../core/task-definition.js';
import type { TaskDefinitionInput } from '../core/task-definition.js';
import {
  maxTasksPerCall,
  maxTasksPerRunTask,
  type ContainerRuntime,
  type HealthStatus,
  type ListTaskArnsQuery,
  type ObservedTask,
  type RunTasksRequest,
  type RunTasksResult,
  type TaskPage,
} from './container-runtime.js';
import { ContainerRuntimeError, isTaskNotFound, mapEcsError } from './ecs-errors.js';
import { StoppedTaskMemory } from './stopped-tasks.js';

export interface EcsRuntimeOptions {
  /** Cluster name or ARN. */
  cluster: string;
  subnets: string[];
  securityGroups: string[];
  assignPublicIp?: boolean;
  launchType?: 'FARGATE';
  /** DescribeTasks calls in flight at once when observing many tasks. */
  describeConcurrency?: number;
}

export const ecsRuntimeDefaults = {
  assignPublicIp: false,
  launchType: 'FARGATE',
  // DescribeTasks shares a token bucket with DescribeContainerInstances (about 20 a second
  // sustained): a few calls in flight cut a 10,000-task sweep's latency without throttling it.
  describeConcurrency: 4,
} as const;

/** StopTask's `reason` limit. */
const maxStopReasonLength = 255;
const healthStatuses = new Set<string>(['HEALTHY', 'UNHEALTHY', 'UNKNOWN']);

/**
 * `ContainerRuntime` on ECS through an injected `ECSClient` (pointed at AWS, LocalStack or the
 * local emulator by its endpoint). Every SDK error is mapped to the `ContainerRuntimeError`
 * family. The adapter does not count its calls: wrap the client with `countEcsCalls` to do so.
 */
export class EcsContainerRuntime implements ContainerRuntime {
  private readonly options: Required<EcsRuntimeOptions>;
  private readonly stopped = new StoppedTaskMemory();

  constructor(
    private readonly ecs: ECSClient,
    options: EcsRuntimeOptions,
  ) {
    this.options = {
      cluster: options.cluster,
      subnets: options.subnets,
      securityGroups: options.securityGroups,
      assignPublicIp: options.assignPublicIp ?? ecsRuntimeDefaults.assignPublicIp,
      launchType: options.launchType ?? ecsRuntimeDefaults.launchType,
      describeConcurrency: options.describeConcurrency ?? ecsRuntimeDefaults.describeConcurrency,
    };
  }

  async registerTaskDefinition(input: TaskDefinitionInput): Promise<string> {
    const output = await this.call('RegisterTaskDefinition', () =>
      this.ecs.send(new RegisterTaskDefinitionCommand(input)),
    );
    const arn = output.taskDefinition?.taskDefinitionArn;
    if (arn === undefined) {
      throw new ContainerRuntimeError('RegisterTaskDefinition answered without a task definition ARN', {
        operation: 'RegisterTaskDefinition',
      });
    }
    return arn;
  }

  async runTasks(request: RunTasksRequest): Promise<RunTasksResult> {
    if (!Number.isSafeInteger(request.count) || request.count < 1 || request.count > maxTasksPerRunTask) {
      throw new RangeError(`RunTask launches 1..${maxTasksPerRunTask} tasks a call, got ${request.count}`);
    }
    const output = await this.call('RunTask', () =>
      this.ecs.send(
        new RunTaskCommand({
          cluster: this.options.cluster,
          taskDefinition: request.taskDefinitionArn,
          count: request.count,
          startedBy: request.startedBy,
          ...(request.group === undefined ? {} : { group: request.group }),
          clientToken: request.clientToken,
          launchType: this.options.launchType,
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: this.options.subnets,
              securityGroups: this.options.securityGroups,
              assignPublicIp: this.options.assignPublicIp ? 'ENABLED' : 'DISABLED',
            },
          },
          // Tags are passed explicitly rather than propagated from the task definition, so a
          // job's `corral:job` and a service's `corral:service` come from one place: the caller.
          tags: Object.entries(request.tags).map(([key, value]) => ({ key, value })),
          enableECSManagedTags: true,
        }),
      ),
    );
    return {
      tasks: (output.tasks ?? []).map(toObservedTask),
      failures: (output.failures ?? []).map((failure) => ({
        ...(failure.arn === undefined ? {} : { arn: failure.arn }),
        reason: failure.reason ?? 'UNKNOWN',
        ...(failure.detail === undefined ? {} : { detail: failure.detail }),
      })),
    };
  }

  async stopTask(taskArn: string, reason: string): Promise<void> {
    try {
      await this.ecs.send(
        new StopTaskCommand({ cluster: this.options.cluster, task: taskArn, reason: truncateReason(reason) }),
      );
    } catch (error) {
      // Stopping is the goal; a task ECS no longer knows has reached it. (ECS answers a task
      // that is already stopped with success, and one it has forgotten with this error.)
      if (isTaskNotFound(error)) return;
      throw mapEcsError(error, 'StopTask');
    }
  }

  async listTaskArns(query: ListTaskArnsQuery): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.listTaskPage(query, nextToken);
      arns.push(...page.taskArns);
      nextToken = page.nextToken;
    } while (nextToken);
    return arns;
  }

  async listTaskPage(query: ListTaskArnsQuery, nextToken?: string): Promise<TaskPage> {
    const output = await this.call('ListTasks', () =>
      this.ecs.send(
        new ListTasksCommand({
          cluster: this.options.cluster,
          // ECS requires startedBy to be the only filter besides desiredStatus.
          ...(query.startedBy === undefined ? {} : { startedBy: query.startedBy }),
          desiredStatus: query.desiredStatus,
          maxResults: maxTasksPerCall,
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      ),
    );
    return { taskArns: output.taskArns ?? [], ...(output.nextToken ? { nextToken: output.nextToken } : {}) };
  }

  async describeTasks(taskArns: readonly string[]): Promise<ObservedTask[]> {
    const { known, unknown } = this.stopped.recall(taskArns);
    const batches: string[][] = [];
    for (let i = 0; i < unknown.length; i += maxTasksPerCall) batches.push(unknown.slice(i, i + maxTasksPerCall));
    const described = await mapWithConcurrency(batches, this.options.describeConcurrency, async (tasks) => {
      const output = await this.call('DescribeTasks', () =>
        this.ecs.send(new DescribeTasksCommand({ cluster: this.options.cluster, tasks, include: ['TAGS'] })),
      );
      // MISSING: the task was forgotten between listing and describing, so it is gone. Any
      // other failure leaves a hole in the picture the planner would fill with a new task,
      // so it fails the observation instead.
      const failure = (output.failures ?? []).find((f) => f.reason !== 'MISSING');
      if (failure !== undefined) {
        throw new ContainerRuntimeError(
          `DescribeTasks failed for ${failure.arn ?? 'a task'}: ${failure.reason ?? 'unknown'} ${failure.detail ?? ''}`.trim(),
          { operation: 'DescribeTasks' },
        );
      }
      return (output.tasks ?? []).map(toObservedTask);
    });
    this.stopped.remember(described.flat());
    return [...known, ...described.flat()];
  }

  remembersStopped(taskArn: string): boolean {
    return this.stopped.has(taskArn);
  }

  async observe(startedBy: string): Promise<ObservedTask[]> {
    return this.describeTasks(await this.listBothStatuses(startedBy));
  }

  /**
   * RUNNING first, then STOPPED: a task's desired status only ever goes RUNNING → STOPPED, so
   * a task that existed before the first listing is in at least one of the two (in both if it
   * was stopped in between; duplicates are dropped).
   */
  private async listBothStatuses(startedBy: string): Promise<string[]> {
    const running = await this.listTaskArns({ startedBy, desiredStatus: 'RUNNING' });
    const stopped = await this.listTaskArns({ startedBy, desiredStatus: 'STOPPED' });
    return [...new Set([...running, ...stopped])];
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw mapEcsError(error, operation);
    }
  }
}

export function toObservedTask(task: Task): ObservedTask {
  const tags = new Map((task.tags ?? []).map((tag) => [tag.key, tag.value]));
  const revisionTag = tags.get(revisionTagKey);
  const containers = task.containers ?? [];
  const essential = containers.find((c) => c.name === taskDefinitionDefaults.containerName) ?? containers[0];
  const observed: ObservedTask = {
    taskArn: task.taskArn ?? '',
    taskDefinitionArn: task.taskDefinitionArn ?? '',
    lastStatus: task.lastStatus ?? 'PROVISIONING',
    desiredStatus: task.desiredStatus ?? 'RUNNING',
    healthStatus: healthStatuses.has(task.healthStatus ?? '') ? (task.healthStatus as HealthStatus) : 'UNKNOWN',
    createdAt: task.createdAt?.getTime() ?? 0,
  };
  const optional: Partial<ObservedTask> = {
    service: tags.get(serviceTagKey),
    job: tags.get(jobTagKey),
    revision: revisionTag !== undefined && /^\d+$/.test(revisionTag) ? Number(revisionTag) : undefined,
    startedBy: task.startedBy,
    group: task.group,
    startedAt: task.startedAt?.getTime(),
    stoppingAt: task.stoppingAt?.getTime(),
    stoppedAt: task.stoppedAt?.getTime(),
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    exitCode: essential?.exitCode,
    containerReason: essential?.reason,
    privateIpv4: privateIpv4Of(task),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(observed, { [key]: value });
  }
  return observed;
}

/**
 * The task's private IPv4 address, as Fargate reports it: the `privateIPv4Address` detail of the
 * ElasticNetworkInterface attachment, else a container's `networkInterfaces[].privateIpv4Address`.
 * Absent until the ENI is attached (PROVISIONING) and after it is gone.
 */
function privateIpv4Of(task: Task): string | undefined {
  for (const attachment of task.attachments ?? []) {
    if (attachment.type !== undefined && attachment.type !== 'ElasticNetworkInterface' && attachment.type !== 'eni') continue;
    const address = attachment.details?.find((d) => d.name === 'privateIPv4Address')?.value;
    if (address) return address;
  }
  for (const container of task.containers ?? []) {
    const address = container.networkInterfaces?.find((n) => n.privateIpv4Address)?.privateIpv4Address;
    if (address) return address;
  }
  return undefined;
}

/**
 * Cuts `reason` to StopTask's 255 characters without splitting a surrogate pair (ECS counts
 * UTF-16 units, so an emoji straddling the limit would otherwise leave half a character).
 */
export function truncateReason(reason: string): string {
  if (reason.length <= maxStopReasonLength) return reason;
  const cut = reason.slice(0, maxStopReasonLength);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

export interface EcsCallCounter {
  /** HTTP requests per operation (e.g. `ListTasks`), retries included. */
  readonly byOperation: ReadonlyMap<string, number>;
  total(): number;
  reset(): void;
}

/**
 * Counts the requests an `ECSClient` sends, for the benchmark's "calls per sweep" and tests.
 * The middleware sits in the finalizeRequest step below the SDK's retry middleware, so a
 * throttled call retried twice counts three times — what ECS's rate limit sees. Call it once
 * per client.
 */
export function countEcsCalls(client: ECSClient): EcsCallCounter {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      counts.set(operation, (counts.get(operation) ?? 0) + 1);
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'corralCountEcsCalls' },
  );
  return {
    byOperation: counts,
    total: () => [...counts.values()].reduce((sum, n) => sum + n, 0),
    reset: () => counts.clear(),
  };
}

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
