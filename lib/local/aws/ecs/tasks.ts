import { randomUUID } from 'node:crypto';
import { AwsError, invalidParameter } from '../errors.js';
import type { FaultControls } from '../faults.js';
import { Input } from '../input.js';
import { randomHex } from '../random-ids.js';
import { decodeToken, encodeToken } from '../paging.js';
import { EcsArns } from './arns.js';
import type { ClusterRecord, ClusterRegistry } from './clusters.js';
import { mergeTags, type Tag, validateTags } from './tags.js';
import type { TaskDefinitionRegistry } from './task-definitions.js';
import { TaskIndex } from './task-index.js';
import { createNetworkInterface, PrivateAddressPool } from './network-interfaces.js';
import type { TaskLifecycle } from './task-lifecycle.js';
import type { ContainerRecord, TaskRecord } from './task-record.js';
import { taskView } from './task-view.js';

export interface TaskServiceDeps {
  arns: EcsArns;
  region: string;
  clusters: ClusterRegistry;
  taskDefinitions: TaskDefinitionRegistry;
  lifecycle: TaskLifecycle;
  faults: FaultControls;
  random: () => number;
  now: () => number;
}

/** What Fargate answers in `failures[]` when it has no capacity for a task. */
export const capacityFailureReason =
  'Capacity is unavailable at this time. Please try again later or in a different availability zone';

const startedByPattern = /^[A-Za-z0-9_/-]*$/;
const clientTokenPattern = /^[\x21-\x7e]+$/;

/** RunTask, StopTask, DescribeTasks and ListTasks over the simulated tasks. */
export class TaskService {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly index = new TaskIndex();
  private readonly byClientToken = new Map<string, string[]>();
  private readonly addresses = new PrivateAddressPool();
  private sequence = 0;

  constructor(private readonly deps: TaskServiceDeps) {}

  runTask(input: Input): Record<string, unknown> {
    const { clusters, taskDefinitions, faults } = this.deps;
    const cluster = clusters.resolve(input.string('cluster'));
    const definition = taskDefinitions.find(input.string('taskDefinition', { required: true }));
    if (!definition) throw new AwsError('ClientException', 'TaskDefinition not found.');
    if (definition.status !== 'ACTIVE') throw new AwsError('ClientException', 'TaskDefinition is inactive');
    const count = input.integer('count', { min: 1, max: 10, fallback: 1 });
    const startedBy = input.string('startedBy', { max: 128, pattern: startedByPattern });
    const group = input.string('group', { min: 1, max: 255 }) ?? `family:${definition.family}`;
    const clientToken = input.string('clientToken', { max: 64, pattern: clientTokenPattern });
    const launchType = input.string('launchType');
    const capacityProviderStrategy = input.array<{ capacityProvider?: string }>('capacityProviderStrategy');
    if (launchType !== undefined && capacityProviderStrategy !== undefined) {
      throw invalidParameter('Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.');
    }
    if (launchType !== undefined && !['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'].includes(launchType)) {
      throw invalidParameter(`launchType ${launchType} is not valid`);
    }
    const subnets = definition.networkMode === 'awsvpc' ? awsvpcSubnets(input.object('networkConfiguration')) : undefined;
    const overrides = input.object('overrides') ?? {};
    validateOverrides(overrides, definition.containerDefinitions.map((c) => c.name));
    const tags = this.launchTags(input, cluster, definition.tags);

    if (clientToken !== undefined) {
      const earlier = this.byClientToken.get(`${cluster.arn}|${clientToken}`);
      if (earlier) {
        const tasks = earlier.flatMap((arn) => this.tasks.get(EcsArns.taskId(arn)) ?? []);
        return { tasks: tasks.map((t) => taskView(t, this.deps.region, true)), failures: [] };
      }
    }

    const launched: TaskRecord[] = [];
    const failures: Record<string, unknown>[] = [];
    for (let i = 0; i < count; i++) {
      if (faults.runTaskFailure > 0 && this.deps.random() < faults.runTaskFailure) {
        failures.push({ reason: capacityFailureReason });
        continue;
      }
      launched.push(this.createTask(cluster, definition, { group, startedBy, launchType, overrides, tags, subnets }));
    }
    if (clientToken !== undefined) this.byClientToken.set(`${cluster.arn}|${clientToken}`, launched.map((t) => t.arn));
    for (const task of launched) this.deps.lifecycle.launch(task);
    return { tasks: launched.map((t) => taskView(t, this.deps.region, true)), failures };
  }

  stopTask(input: Input): Record<string, unknown> {
    const cluster = this.deps.clusters.resolve(input.string('cluster'));
    const reference = input.string('task', { required: true });
    const reason = input.string('reason', { max: 255 }) ?? 'Task stopped by user';
    const task = this.findInCluster(cluster, reference);
    if (!task) throw invalidParameter('The referenced task was not found.');
    this.deps.lifecycle.stop(task, 'UserInitiated', reason);
    return { task: taskView(task, this.deps.region, false) };
  }

  describeTasks(input: Input): Record<string, unknown> {
    const cluster = this.deps.clusters.resolve(input.string('cluster'));
    const references = input.strings('tasks') ?? [];
    if (references.length === 0) throw invalidParameter('Tasks cannot be empty.');
    if (references.length > 100) throw invalidParameter('Too many tasks were specified. A maximum of 100 tasks is allowed.');
    const includeTags = (input.strings('include') ?? []).includes('TAGS');
    const tasks: Record<string, unknown>[] = [];
    const failures: Record<string, unknown>[] = [];
    for (const reference of references) {
      const task = this.findInCluster(cluster, reference);
      if (task) tasks.push(taskView(task, this.deps.region, includeTags));
      else failures.push({ arn: reference.startsWith('arn:') ? reference : this.deps.arns.task(cluster.name, reference), reason: 'MISSING' });
    }
    return { tasks, failures };
  }

  listTasks(input: Input): Record<string, unknown> {
    const cluster = this.deps.clusters.resolve(input.string('cluster'));
    const family = input.string('family');
    const startedBy = input.string('startedBy');
    const serviceName = input.string('serviceName');
    const containerInstance = input.string('containerInstance');
    const launchType = input.string('launchType');
    const desiredStatus = input.string('desiredStatus') ?? 'RUNNING';
    if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desiredStatus)) throw invalidParameter(`Invalid desiredStatus: ${desiredStatus}`);
    if (startedBy !== undefined && (family !== undefined || serviceName !== undefined || containerInstance !== undefined)) {
      throw invalidParameter('When startedBy is specified, it must be the only filter.');
    }
    const maxResults = input.integer('maxResults', { min: 1, max: 100, fallback: 100 });
    const filterKey = JSON.stringify([cluster.arn, family, startedBy, serviceName, containerInstance, launchType, desiredStatus]);
    const after = decodeToken(input.string('nextToken'), filterKey, invalidParameter);
    // No task is ever desired PENDING, so that filter matches nothing, as in ECS; nor does a
    // service or container instance, since the local ECS has neither.
    if (serviceName !== undefined || containerInstance !== undefined) return { taskArns: [] };
    const result = this.index.page(
      { clusterArn: cluster.arn, desiredStatus, startedBy },
      after,
      maxResults,
      (t) => (family === undefined || t.taskDefinition.family === family) && (launchType === undefined || t.launchType === launchType),
    );
    const last = result.tasks.at(-1);
    return { taskArns: result.tasks.map((t) => t.arn), nextToken: result.more && last ? encodeToken(last.sequence, filterKey) : undefined };
  }

  /** Running and pending counts for DescribeClusters. */
  counts(clusterArn: string): { running: number; pending: number } {
    let running = 0;
    let pending = 0;
    // A task is desired STOPPED from the moment it begins to stop, so only these can count.
    for (const task of this.index.desiredRunning(clusterArn)) {
      if (task.lastStatus === 'RUNNING') running++;
      else if (task.lastStatus === 'PROVISIONING' || task.lastStatus === 'PENDING') pending++;
    }
    return { running, pending };
  }

  findByArn(arn: string): TaskRecord | undefined {
    const task = this.tasks.get(EcsArns.taskId(arn));
    return task?.arn === arn ? task : undefined;
  }

  /** After every state change: a task that began to stop moves in the index; one STOPPED has its ENI deleted. */
  changed(task: TaskRecord): void {
    this.index.update(task);
    if (task.lastStatus === 'STOPPED' && task.networkInterface) this.addresses.release(task.networkInterface.privateIPv4Address);
  }

  /** Every task not yet expired, running or stopped (the load balancer's health checks look them up by address). */
  all(): IterableIterator<TaskRecord> {
    return this.tasks.values();
  }

  remove(task: TaskRecord): void {
    this.tasks.delete(task.id);
    this.index.remove(task);
  }

  private findInCluster(cluster: ClusterRecord, reference: string): TaskRecord | undefined {
    const task = this.tasks.get(EcsArns.taskId(reference));
    return task && task.clusterArn === cluster.arn ? task : undefined;
  }

  private launchTags(input: Input, cluster: ClusterRecord, definitionTags: Tag[]): Tag[] {
    let tags = validateTags(input.raw('tags'));
    const propagateTags = input.string('propagateTags') ?? 'NONE';
    if (propagateTags === 'SERVICE') throw invalidParameter('Tags can only be propagated from the task definition for a standalone task.');
    if (propagateTags === 'TASK_DEFINITION') tags = mergeTags(definitionTags, tags);
    else if (propagateTags !== 'NONE') throw invalidParameter(`Invalid propagateTags value: ${propagateTags}`);
    if (input.boolean('enableECSManagedTags', false)) tags = mergeTags(tags, [{ key: 'aws:ecs:clusterName', value: cluster.name }]);
    return tags;
  }

  private createTask(
    cluster: ClusterRecord,
    definition: NonNullable<ReturnType<TaskDefinitionRegistry['find']>>,
    launch: { group: string; startedBy?: string; launchType?: string; overrides: Record<string, unknown>; tags: Tag[]; subnets?: string[] },
  ): TaskRecord {
    const id = randomHex(16);
    const { arns, faults } = this.deps;
    const containers: ContainerRecord[] = definition.containerDefinitions.map((c) => ({
      name: c.name,
      image: c.image,
      essential: c.essential,
      arn: arns.container(cluster.name, id, randomUUID()),
      lastStatus: 'PENDING',
      healthCheck: c.healthCheck,
      healthStatus: 'UNKNOWN',
      behavior: faults.behaviorOf(c.image),
    }));
    const task: TaskRecord = {
      sequence: ++this.sequence,
      id,
      arn: arns.task(cluster.name, id),
      clusterArn: cluster.arn,
      clusterName: cluster.name,
      taskDefinition: definition,
      group: launch.group,
      startedBy: launch.startedBy,
      launchType: launch.launchType ?? 'FARGATE',
      cpu: (launch.overrides.cpu as string | undefined) ?? definition.cpu,
      memory: (launch.overrides.memory as string | undefined) ?? definition.memory,
      overrides: launch.overrides,
      tags: launch.tags,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      version: 0,
      healthStatus: 'UNKNOWN',
      createdAt: this.deps.now(),
      containers,
      // ECS places the task in one of the subnets asked for; the first is as good as any here.
      networkInterface: launch.subnets ? createNetworkInterface(launch.subnets[0], this.addresses.allocate()) : undefined,
      timers: [],
    };
    this.tasks.set(id, task);
    this.index.update(task);
    return task;
  }
}

function awsvpcSubnets(networkConfiguration: Record<string, unknown> | undefined): string[] {
  const awsvpc = networkConfiguration?.awsvpcConfiguration as { subnets?: unknown } | undefined;
  if (!awsvpc || !Array.isArray(awsvpc.subnets) || awsvpc.subnets.length === 0) {
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  if (awsvpc.subnets.length > 16) throw invalidParameter('subnets can have at most 16 items.');
  if (!awsvpc.subnets.every((s) => typeof s === 'string' && s !== '')) throw invalidParameter('subnets must be non-empty strings.');
  return awsvpc.subnets as string[];
}

function validateOverrides(overrides: Record<string, unknown>, containerNames: string[]): void {
  const containerOverrides = overrides.containerOverrides;
  if (containerOverrides === undefined) return;
  if (!Array.isArray(containerOverrides)) throw invalidParameter('overrides.containerOverrides must be a list');
  for (const override of containerOverrides as { name?: unknown }[]) {
    if (typeof override.name !== 'string' || !containerNames.includes(override.name)) {
      throw invalidParameter(`Override for container named ${String(override.name)} is not a container in the TaskDefinition.`);
    }
  }
}
