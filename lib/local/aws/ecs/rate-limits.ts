import { TokenBucket, type TokenBucketSpec } from '../../../core/token-bucket.js';

/**
 * ECS's request throttling, per account and Region, as token buckets per group of actions
 * (capacity = burst, refill = sustained). Source: the ECS developer guide, "Request throttling
 * for the Amazon ECS API" (docs.aws.amazon.com/AmazonECS/latest/developerguide/request-throttling.html).
 * Checked against it here: cluster read actions have a bucket of 50 (the page's own example);
 * DescribeTasks shares its group with DescribeContainerInstances at about 20 a second
 * (aws-solutions/workload-discovery-on-aws#355, citing the page); task definition registration
 * is 20 burst, 1 a second (aws-actions/amazon-ecs-deploy-task-definition#502, citing the page).
 * Taken from the page's table without a second source: task read burst 100, task modification
 * 100 burst / 40 a second, the read refills of 20 a second. Fargate task launches are a separate
 * limit, 100 tasks burst and 20 a second (docs/AWS-FACTS), counted per task: a RunTask of 10
 * takes 10. Actions outside these groups share an "other" bucket; Corral calls them rarely.
 */
export const ecsRateLimitGroups: ReadonlyArray<{ group: string; actions: readonly string[]; bucket: TokenBucketSpec }> = [
  { group: 'task read', actions: ['DescribeTasks', 'ListTasks', 'DescribeContainerInstances'], bucket: { capacity: 100, refillPerSecond: 20 } },
  { group: 'task modification', actions: ['RunTask', 'StartTask', 'StopTask'], bucket: { capacity: 100, refillPerSecond: 40 } },
  { group: 'cluster read', actions: ['DescribeClusters', 'ListClusters'], bucket: { capacity: 50, refillPerSecond: 20 } },
  { group: 'task definition modification', actions: ['RegisterTaskDefinition', 'DeregisterTaskDefinition'], bucket: { capacity: 20, refillPerSecond: 1 } },
  { group: 'task definition read', actions: ['DescribeTaskDefinition', 'ListTaskDefinitions'], bucket: { capacity: 50, refillPerSecond: 20 } },
];

const otherActions: TokenBucketSpec = { capacity: 50, refillPerSecond: 20 };
export const fargateTaskLaunches: TokenBucketSpec = { capacity: 100, refillPerSecond: 20 };

/** The buckets of one account and Region, full when created. */
export class EcsRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly other: TokenBucket;
  private readonly launches: TokenBucket;

  constructor(now: number) {
    for (const { actions, bucket } of ecsRateLimitGroups) {
      const shared = new TokenBucket(bucket, now);
      for (const action of actions) this.buckets.set(action, shared);
    }
    this.other = new TokenBucket(otherActions, now);
    this.launches = new TokenBucket(fargateTaskLaunches, now);
  }

  /** Whether ECS would serve this call now; a refused call takes no tokens. */
  admit(operation: string, input: unknown, now: number): boolean {
    const bucket = this.buckets.get(operation) ?? this.other;
    if (operation !== 'RunTask') return bucket.tryTake(now);
    const count = taskCount(input);
    if (bucket.msUntil(now) > 0 || this.launches.msUntil(now, count) > 0) return false;
    return bucket.tryTake(now) && this.launches.tryTake(now, count);
  }
}

function taskCount(input: unknown): number {
  const count = (input as { count?: unknown } | undefined)?.count;
  return typeof count === 'number' && Number.isInteger(count) && count >= 1 && count <= 10 ? count : 1;
}
