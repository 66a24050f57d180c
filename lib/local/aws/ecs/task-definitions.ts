import { AwsError } from '../errors.js';
import { epochSeconds, Input } from '../input.js';
import { decodeToken, page } from '../paging.js';
import type { EcsArns } from './arns.js';
import { healthCheckDefaults, type HealthCheckTiming } from './health.js';
import type { Tag } from './tags.js';

export interface ContainerDefinition {
  name: string;
  image: string;
  essential: boolean;
  healthCheck?: HealthCheckTiming & { command: string[] };
  [field: string]: unknown;
}

export interface TaskDefinitionRecord {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  registeredAt: number;
  deregisteredAt?: number;
  networkMode: string;
  requiresCompatibilities: string[];
  cpu?: string;
  memory?: string;
  containerDefinitions: ContainerDefinition[];
  /** Every other field of the request, echoed back as ECS does. */
  rest: Record<string, unknown>;
  tags: Tag[];
}

const clientError = (message: string): AwsError => new AwsError('ClientException', message);
const namePattern = /^[A-Za-z0-9_-]{1,255}$/;

/** Task definition families and their revisions. */
export class TaskDefinitionRegistry {
  private readonly families = new Map<string, TaskDefinitionRecord[]>();

  constructor(
    private readonly arns: EcsArns,
    private readonly accountId: string,
  ) {}

  register(body: Record<string, unknown>, tags: Tag[], now: number): TaskDefinitionRecord {
    const input = new Input(body, 'ClientException');
    const family = input.string('family', { required: true });
    if (!namePattern.test(family)) {
      throw clientError('Family contains invalid characters: up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.');
    }
    const containers = input.array<Record<string, unknown>>('containerDefinitions');
    if (!containers || containers.length === 0) throw clientError('Container list cannot be empty.');
    const containerDefinitions = containers.map(containerDefinition);
    const names = new Set(containerDefinitions.map((c) => c.name));
    if (names.size !== containerDefinitions.length) throw clientError('Container names must be unique within a task definition.');
    if (!containerDefinitions.some((c) => c.essential)) throw clientError('Task definition must have at least one essential container.');

    const requiresCompatibilities = input.strings('requiresCompatibilities') ?? [];
    const networkMode = input.string('networkMode') ?? (requiresCompatibilities.includes('FARGATE') ? 'awsvpc' : 'bridge');
    const cpu = input.string('cpu');
    const memory = input.string('memory');
    if (requiresCompatibilities.includes('FARGATE')) {
      if (networkMode !== 'awsvpc') throw clientError("Fargate only supports network mode 'awsvpc'.");
      if (cpu === undefined) throw clientError("Fargate requires that 'cpu' be defined at the task level.");
      if (memory === undefined) throw clientError("Fargate requires that 'memory' be defined at the task level.");
    }

    const revisions = this.families.get(family) ?? [];
    const revision = revisions.length + 1;
    const { family: _f, containerDefinitions: _c, requiresCompatibilities: _r, networkMode: _n, cpu: _cpu, memory: _m, tags: _t, ...rest } = body;
    const record: TaskDefinitionRecord = {
      arn: this.arns.taskDefinition(family, revision),
      family,
      revision,
      status: 'ACTIVE',
      registeredAt: now,
      networkMode,
      requiresCompatibilities,
      cpu,
      memory,
      containerDefinitions,
      rest,
      tags,
    };
    revisions.push(record);
    this.families.set(family, revisions);
    return record;
  }

  /** "family", "family:3" or a full ARN; a bare family means its latest ACTIVE revision. */
  find(reference: string): TaskDefinitionRecord | undefined {
    const match = /^(?:arn:aws[a-z-]*:ecs:[^:]*:\d*:task-definition\/)?([A-Za-z0-9_-]+)(?::(\d+))?$/.exec(reference);
    if (!match) return undefined;
    const revisions = this.families.get(match[1]) ?? [];
    if (match[2] !== undefined) return revisions[Number(match[2]) - 1];
    return revisions.filter((r) => r.status === 'ACTIVE').at(-1);
  }

  deregister(reference: string, now: number): TaskDefinitionRecord {
    if (!/:\d+$/.test(reference)) {
      throw new AwsError('InvalidParameterException', 'Invalid revision number. Number: ' + (reference.split(':').at(-1) ?? ''));
    }
    const record = this.find(reference);
    if (!record) throw clientError('The specified task definition does not exist.');
    if (record.status === 'ACTIVE') {
      record.status = 'INACTIVE';
      record.deregisteredAt = now;
    }
    return record;
  }

  list(body: Input): { taskDefinitionArns: string[]; nextToken?: string } {
    const familyPrefix = body.string('familyPrefix');
    const status = body.string('status') ?? 'ACTIVE';
    const sort = body.string('sort') ?? 'ASC';
    const maxResults = body.integer('maxResults', { min: 1, max: 100, fallback: 100 });
    const filterKey = `${familyPrefix ?? ''}|${status}|${sort}`;
    const after = decodeToken(body.string('nextToken'), filterKey, (m) => new AwsError('InvalidParameterException', m));
    const all = [...this.families.values()]
      .flat()
      .filter((r) => r.status === status && (familyPrefix === undefined || r.family.startsWith(familyPrefix)))
      .sort((a, b) => (a.family === b.family ? a.revision - b.revision : a.family < b.family ? -1 : 1));
    if (sort === 'DESC') all.reverse();
    const positions = new Map(all.map((r, i) => [r.arn, i]));
    const result = page(all, (r) => positions.get(r.arn) ?? 0, after, maxResults, filterKey);
    return { taskDefinitionArns: result.items.map((r) => r.arn), nextToken: result.nextToken };
  }

  findByArn(arn: string): TaskDefinitionRecord | undefined {
    const record = this.find(arn);
    return record?.arn === arn ? record : undefined;
  }

  all(): TaskDefinitionRecord[] {
    return [...this.families.values()].flat();
  }

  /** Puts back revisions saved by an earlier run (in revision order). */
  restore(records: TaskDefinitionRecord[]): void {
    for (const record of records) {
      const revisions = this.families.get(record.family) ?? [];
      revisions[record.revision - 1] = record;
      this.families.set(record.family, revisions);
    }
  }

  view(record: TaskDefinitionRecord): Record<string, unknown> {
    return {
      ...record.rest,
      taskDefinitionArn: record.arn,
      family: record.family,
      revision: record.revision,
      status: record.status,
      networkMode: record.networkMode,
      containerDefinitions: record.containerDefinitions,
      volumes: record.rest.volumes ?? [],
      placementConstraints: record.rest.placementConstraints ?? [],
      requiresAttributes: [],
      compatibilities: ['EC2', ...(record.requiresCompatibilities.includes('FARGATE') || record.networkMode === 'awsvpc' ? ['FARGATE'] : [])],
      requiresCompatibilities: record.requiresCompatibilities,
      cpu: record.cpu,
      memory: record.memory,
      registeredAt: epochSeconds(record.registeredAt),
      deregisteredAt: epochSeconds(record.deregisteredAt),
      registeredBy: `arn:aws:iam::${this.accountId}:root`,
    };
  }
}

function containerDefinition(raw: Record<string, unknown>): ContainerDefinition {
  if (typeof raw !== 'object' || raw === null) throw clientError('Container definitions must be structures.');
  const name = raw.name;
  const image = raw.image;
  if (typeof name !== 'string' || name === '') throw clientError('Container.name should not be null or empty.');
  if (!namePattern.test(name)) throw clientError(`Container name ${name} is invalid: up to 255 letters, numbers, hyphens and underscores.`);
  if (typeof image !== 'string' || image === '') throw clientError('Container.image should not be null or empty.');
  const definition: ContainerDefinition = {
    portMappings: [],
    environment: [],
    mountPoints: [],
    volumesFrom: [],
    ...raw,
    name,
    image,
    essential: raw.essential === undefined ? true : raw.essential === true,
  };
  if (raw.healthCheck !== undefined) definition.healthCheck = healthCheck(raw.healthCheck as Record<string, unknown>, name);
  return definition;
}

/** Container health check limits from the ECS API reference. */
function healthCheck(raw: Record<string, unknown>, container: string): HealthCheckTiming & { command: string[] } {
  const command = raw.command;
  if (!Array.isArray(command) || command.length === 0 || command.some((c) => typeof c !== 'string')) {
    throw clientError(`Container ${container}: healthCheck.command must be a non-empty list of strings.`);
  }
  const field = (key: keyof HealthCheckTiming, min: number, max: number): number => {
    const value = raw[key] ?? healthCheckDefaults[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw clientError(`Container ${container}: healthCheck.${key} must be an integer ${min}..${max}.`);
    }
    return value;
  };
  return {
    command: command as string[],
    interval: field('interval', 5, 300),
    timeout: field('timeout', 2, 60),
    retries: field('retries', 1, 10),
    startPeriod: field('startPeriod', 0, 300),
  };
}
