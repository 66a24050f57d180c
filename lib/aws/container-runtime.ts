import type { TaskDefinitionInput } from '../core/task-definition.js';

/**
 * The port through which reconcilers start, stop and observe tasks. The ECS adapter
 * (`EcsContainerRuntime`) implements it against ECS or the local emulator; tests may implement
 * it in memory. Errors are `ContainerRuntimeError`s (lib/aws/ecs-errors.ts).
 */
export interface ContainerRuntime {
  /** Registers a task definition and answers its ARN (`...:task-definition/<family>:<n>`). */
  registerTaskDefinition(input: TaskDefinitionInput): Promise<string>;
  /** One RunTask call of 1..`maxTasksPerRunTask` tasks; split larger launches first. */
  runTasks(request: RunTasksRequest): Promise<RunTasksResult>;
  /** Stops a task; a task already stopped or unknown counts as stopped. */
  stopTask(taskArn: string, reason: string): Promise<void>;
  /** Every task ARN with that desired status (and `startedBy`, if given), all pages. */
  listTaskArns(query: ListTaskArnsQuery): Promise<string[]>;
  /** One ListTasks call: up to 100 ARNs, and the token of the next page if there is one. */
  listTaskPage(query: ListTaskArnsQuery, nextToken?: string): Promise<TaskPage>;
  /**
   * Describes tasks, 100 a call; tasks ECS no longer knows are left out. A task this runtime
   * has already seen STOPPED is answered from memory (it cannot change any more), not asked for.
   */
  describeTasks(taskArns: readonly string[]): Promise<ObservedTask[]>;
  /** Whether `describeTasks` answers this task from memory (it was seen STOPPED), without a call. */
  remembersStopped(taskArn: string): boolean;
  /** Running and recently stopped tasks started by `startedBy`. */
  observe(startedBy: string): Promise<ObservedTask[]>;
}

export interface TaskPage {
  taskArns: string[];
  nextToken?: string;
}

export interface RunTasksRequest {
  taskDefinitionArn: string;
  count: number;
  startedBy: string;
  /** ECS task group (default `family:<family>`); a job names the run's tick in it. */
  group?: string;
  /** See lib/core/client-token.ts. */
  clientToken: string;
  tags: Record<string, string>;
}

export interface RunTasksResult {
  tasks: ObservedTask[];
  /** Tasks ECS could not place or start (e.g. `RESOURCE:MEMORY`), answered with HTTP 200. */
  failures: RunTaskFailure[];
}

export interface RunTaskFailure {
  arn?: string;
  reason: string;
  detail?: string;
}

export type DesiredStatus = 'RUNNING' | 'STOPPED';

export interface ListTaskArnsQuery {
  startedBy?: string;
  desiredStatus: DesiredStatus;
}

export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

/** A task as the planner sees it: ECS's fields normalised, times in epoch milliseconds. */
export interface ObservedTask {
  taskArn: string;
  /** From the `corral:service` tag. */
  service?: string;
  /** From the `corral:job` tag. */
  job?: string;
  /** From the `corral:revision` tag. */
  revision?: number;
  startedBy?: string;
  group?: string;
  taskDefinitionArn: string;
  /** PROVISIONING, PENDING, ACTIVATING, RUNNING, DEACTIVATING, STOPPING, DEPROVISIONING, STOPPED. */
  lastStatus: string;
  desiredStatus: string;
  healthStatus: HealthStatus;
  createdAt: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  /** e.g. TaskFailedToStart, EssentialContainerExited, UserInitiated. */
  stopCode?: string;
  stoppedReason?: string;
  /** Exit code of the essential container, once it has exited. */
  exitCode?: number;
  /** The essential container's reason, e.g. `CannotPullContainerError: ...`. */
  containerReason?: string;
  /** The task's private IPv4 address (awsvpc ENI), the id of its load balancer targets. */
  privateIpv4?: string;
}

/** RunTask's `count` limit. */
export const maxTasksPerRunTask = 10;

/** DescribeTasks' limit of tasks per call, and ListTasks' page size. */
export const maxTasksPerCall = 100;

/**
 * Sizes of the RunTask calls that launch `count` tasks: as few calls as possible, full ones
 * first. 25 → [10, 10, 5]; 0 → [].
 */
export function splitIntoRunTaskCalls(count: number): number[] {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  }
  const full = Math.floor(count / maxTasksPerRunTask);
  const rest = count % maxTasksPerRunTask;
  return [...Array<number>(full).fill(maxTasksPerRunTask), ...(rest > 0 ? [rest] : [])];
}
