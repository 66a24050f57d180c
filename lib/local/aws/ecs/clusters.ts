import { AwsError } from '../errors.js';
import { EcsArns } from './arns.js';
import type { Tag } from './tags.js';

export interface ClusterRecord {
  name: string;
  arn: string;
  tags: Tag[];
  createdAt: number;
}

export const clusterNotFound = (): AwsError => new AwsError('ClusterNotFoundException', 'Cluster not found.');

/** The account's clusters; ECS creates nothing by itself, so RunTask needs CreateCluster first. */
export class ClusterRegistry {
  private readonly clusters = new Map<string, ClusterRecord>();

  constructor(private readonly arns: EcsArns) {}

  /** Idempotent, as CreateCluster is: an existing cluster is returned unchanged. */
  create(name: string, tags: Tag[], now: number): ClusterRecord {
    const existing = this.clusters.get(name);
    if (existing) return existing;
    const cluster: ClusterRecord = { name, arn: this.arns.cluster(name), tags, createdAt: now };
    this.clusters.set(name, cluster);
    return cluster;
  }

  find(reference: string): ClusterRecord | undefined {
    return this.clusters.get(EcsArns.clusterName(reference));
  }

  resolve(reference: string | undefined): ClusterRecord {
    const cluster = this.find(reference ?? 'default');
    if (!cluster) throw clusterNotFound();
    return cluster;
  }

  findByArn(arn: string): ClusterRecord | undefined {
    return [...this.clusters.values()].find((c) => c.arn === arn);
  }

  all(): ClusterRecord[] {
    return [...this.clusters.values()];
  }

  restore(records: ClusterRecord[]): void {
    for (const record of records) this.clusters.set(record.name, record);
  }
}

export function clusterView(
  cluster: ClusterRecord,
  counts: { running: number; pending: number },
  includeTags: boolean,
): Record<string, unknown> {
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: counts.running,
    pendingTasksCount: counts.pending,
    activeServicesCount: 0,
    statistics: [],
    tags: includeTags ? cluster.tags : [],
    settings: [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    defaultCapacityProviderStrategy: [],
  };
}
