import type { Clock } from '../../../clock.js';
import type { LocalBus } from '../../bus.js';
import { AwsError, invalidParameter } from '../errors.js';
import type { FaultControls } from '../faults.js';
import { Input } from '../input.js';
import type { TaskDelays } from '../options.js';
import { RecordJournal } from '../record-journal.js';
import { StateFile } from '../state-file.js';
import { EcsArns } from './arns.js';
import { type ClusterRecord, ClusterRegistry, clusterView } from './clusters.js';
import { mergeTags, type Tag, validateTags } from './tags.js';
import { type TaskDefinitionRecord, TaskDefinitionRegistry } from './task-definitions.js';
import { TaskLifecycle } from './task-lifecycle.js';
import { type LogSink, writeTaskLog } from './task-logs.js';
import { taskEventDetail } from './task-view.js';
import { TaskEndpoints } from './task-endpoints.js';
import { TaskService } from './tasks.js';

export interface EcsEmulatorOptions {
  clock: Clock;
  bus: LocalBus;
  delays: TaskDelays;
  faults: FaultControls;
  random: () => number;
  accountId: string;
  region: string;
  clusters: string[];
  /**
   * Where clusters and task definitions are kept across restarts (a journal of JSON lines, e.g.
   * `ecs.jsonl`; a `.json` file of the same name from earlier versions is read once); undefined
   * keeps them in memory.
   */
  stateFile?: string;
  /** Local Secrets Manager, which tasks read their `secrets` from when they start. */
  secrets: { executionRoleReadError(valueFrom: string, executionRoleArn: string | undefined): string | undefined };
  /** Receives the tasks' log lines (local CloudWatch Logs); without one they go nowhere. */
  logs?: LogSink;
}

/** What ecs.json held before the journal: read once, then kept as journal lines. */
interface LegacyEcsState {
  clusters: ClusterRecord[];
  taskDefinitions: TaskDefinitionRecord[];
}

/** One line of the journal: a cluster or a task definition revision as it is now. */
type EcsStateRecord = { cluster: ClusterRecord } | { taskDefinition: TaskDefinitionRecord };

const stateKey = (record: EcsStateRecord): string => ('cluster' in record ? `cluster ${record.cluster.arn}` : `taskDefinition ${record.taskDefinition.arn}`);

/** Operations that change what is saved; tasks themselves do not outlive the process. */
const persistedChanges = new Set(['CreateCluster', 'RegisterTaskDefinition', 'DeregisterTaskDefinition', 'TagResource', 'UntagResource']);

/** The ECS operations Corral and the AWS CLI use, over an in-memory account. */
export class EcsEmulator {
  private readonly clock: Clock;
  private readonly clusters: ClusterRegistry;
  private readonly taskDefinitions: TaskDefinitionRegistry;
  private readonly tasks: TaskService;
  private readonly state: RecordJournal<EcsStateRecord>;

  constructor(options: EcsEmulatorOptions) {
    const arns = new EcsArns(options.region, options.accountId);
    this.clock = options.clock;
    this.clusters = new ClusterRegistry(arns);
    this.taskDefinitions = new TaskDefinitionRegistry(arns, options.accountId);
    const lifecycle = new TaskLifecycle(options.clock, options.delays, {
      changed: (task) => {
        this.tasks.changed(task);
        options.bus.putEvents([
          {
            source: 'aws.ecs',
            'detail-type': 'ECS Task State Change',
            resources: [task.arn],
            detail: taskEventDetail(task, options.region, options.clock.now()),
          },
        ]);
      },
      expired: (task) => this.tasks.remove(task),
      secretReadError: (valueFrom, executionRoleArn) => options.secrets.executionRoleReadError(valueFrom, executionRoleArn),
      logged: (task, container, message) => {
        if (options.logs) writeTaskLog(options.logs, task, container, message);
      },
    });
    this.tasks = new TaskService({
      arns,
      region: options.region,
      clusters: this.clusters,
      taskDefinitions: this.taskDefinitions,
      lifecycle,
      faults: options.faults,
      random: options.random,
      now: () => options.clock.now(),
    });
    this.state = new RecordJournal(options.stateFile, stateKey);
    const legacy = this.state.exists() ? undefined : new StateFile<LegacyEcsState>(options.stateFile?.replace(/\.jsonl$/, '.json')).load();
    const saved: EcsStateRecord[] = legacy
      ? [...legacy.clusters.map((cluster) => ({ cluster })), ...legacy.taskDefinitions.map((taskDefinition) => ({ taskDefinition }))]
      : this.state.load();
    this.clusters.restore(saved.flatMap((r) => ('cluster' in r ? [r.cluster] : [])));
    this.taskDefinitions.restore(saved.flatMap((r) => ('taskDefinition' in r ? [r.taskDefinition] : [])));
    if (legacy) this.state.rewrite(saved);
    for (const name of options.clusters) this.clusters.create(name, [], options.clock.now());
  }

  /** What load balancer health checks and the traffic rehearsal find at a task's address. */
  endpoints(): TaskEndpoints {
    return new TaskEndpoints(() => this.tasks.all(), () => this.clock.now());
  }

  handle(operation: string, body: unknown): unknown {
    const result = this.dispatch(operation, body);
    if (persistedChanges.has(operation)) this.state.append(this.changedBy(body, result), () => this.stateRecords());
    return result;
  }

  /** The records a persisted change touched: the one its answer or its `resourceArn` names. */
  private changedBy(body: unknown, result: unknown): EcsStateRecord[] {
    const answer = result as { cluster?: { clusterArn?: string }; taskDefinition?: { taskDefinitionArn?: string } };
    const arn = answer.cluster?.clusterArn ?? answer.taskDefinition?.taskDefinitionArn ?? (body as { resourceArn?: string }).resourceArn;
    if (arn === undefined) return [];
    const cluster = this.clusters.findByArn(arn);
    if (cluster) return [{ cluster }];
    const taskDefinition = this.taskDefinitions.findByArn(arn);
    return taskDefinition ? [{ taskDefinition }] : [];
  }

  private stateRecords(): EcsStateRecord[] {
    return [...this.clusters.all().map((cluster) => ({ cluster })), ...this.taskDefinitions.all().map((taskDefinition) => ({ taskDefinition }))];
  }

  private dispatch(operation: string, body: unknown): unknown {
    const input = Input.of(body, 'InvalidParameterException');
    const now = this.clock.now();
    switch (operation) {
      case 'CreateCluster': {
        const name = input.string('clusterName', { max: 255, pattern: /^[A-Za-z0-9_-]+$/ }) ?? 'default';
        const cluster = this.clusters.create(name, validateTags(input.raw('tags')), now);
        return { cluster: clusterView(cluster, this.tasks.counts(cluster.arn), true) };
      }
      case 'DescribeClusters': {
        const includeTags = (input.strings('include') ?? []).includes('TAGS');
        const clusters: unknown[] = [];
        const failures: unknown[] = [];
        for (const reference of input.strings('clusters') ?? ['default']) {
          const cluster = this.clusters.find(reference);
          if (cluster) clusters.push(clusterView(cluster, this.tasks.counts(cluster.arn), includeTags));
          else failures.push({ arn: reference, reason: 'MISSING' });
        }
        return { clusters, failures };
      }
      case 'ListClusters':
        return { clusterArns: this.clusters.all().map((c) => c.arn) };
      case 'RegisterTaskDefinition': {
        const tags = validateTags(input.raw('tags'));
        const record = this.taskDefinitions.register(body as Record<string, unknown>, tags, now);
        return { taskDefinition: this.taskDefinitions.view(record), tags };
      }
      case 'DescribeTaskDefinition': {
        const record = this.taskDefinitions.find(input.string('taskDefinition', { required: true }));
        if (!record) throw new AwsError('ClientException', 'Unable to describe task definition.');
        const includeTags = (input.strings('include') ?? []).includes('TAGS');
        return { taskDefinition: this.taskDefinitions.view(record), tags: includeTags ? record.tags : undefined };
      }
      case 'DeregisterTaskDefinition': {
        const record = this.taskDefinitions.deregister(input.string('taskDefinition', { required: true }), now);
        return { taskDefinition: this.taskDefinitions.view(record) };
      }
      case 'ListTaskDefinitions':
        return this.taskDefinitions.list(input);
      case 'RunTask':
        return this.tasks.runTask(input);
      case 'StopTask':
        return this.tasks.stopTask(input);
      case 'DescribeTasks':
        return this.tasks.describeTasks(input);
      case 'ListTasks':
        return this.tasks.listTasks(input);
      case 'TagResource': {
        const resource = this.taggable(input.string('resourceArn', { required: true }));
        resource.tags = mergeTags(resource.tags, validateTags(input.raw('tags')));
        return {};
      }
      case 'UntagResource': {
        const resource = this.taggable(input.string('resourceArn', { required: true }));
        const keys = input.strings('tagKeys') ?? [];
        resource.tags = resource.tags.filter((t) => !keys.includes(t.key));
        return {};
      }
      case 'ListTagsForResource':
        return { tags: this.taggable(input.string('resourceArn', { required: true })).tags };
      default:
        throw new AwsError('UnknownOperationException', `Operation ${operation} is not supported by the local ECS emulator.`);
    }
  }

  private taggable(arn: string): { tags: Tag[] } {
    if (!arn.startsWith('arn:')) throw invalidParameter('The ARN provided is invalid.');
    const resource = this.clusters.findByArn(arn) ?? this.taskDefinitions.findByArn(arn) ?? this.tasks.findByArn(arn);
    if (!resource) throw new AwsError('ResourceNotFoundException', 'The specified resource could not be found.');
    return resource;
  }
}
