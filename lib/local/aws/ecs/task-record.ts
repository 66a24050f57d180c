import type { ClockTimer } from '../../../clock.js';
import type { ImageBehavior } from '../faults.js';
import type { HealthCheckTiming, HealthStatus } from './health.js';
import type { NetworkInterfaceRecord } from './network-interfaces.js';
import type { Tag } from './tags.js';
import type { TaskDefinitionRecord } from './task-definitions.js';

export type TaskStatus = 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';

export interface ContainerRecord {
  name: string;
  image: string;
  essential: boolean;
  arn: string;
  runtimeId?: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  healthCheck?: HealthCheckTiming;
  healthStatus: HealthStatus;
  behavior: ImageBehavior;
}

/** One simulated task; times are epoch milliseconds of the endpoint's clock. */
export interface TaskRecord {
  /** Launch order, for stable ListTasks paging. */
  sequence: number;
  id: string;
  arn: string;
  clusterArn: string;
  clusterName: string;
  taskDefinition: TaskDefinitionRecord;
  group: string;
  startedBy?: string;
  launchType: string;
  cpu?: string;
  memory?: string;
  overrides: Record<string, unknown>;
  tags: Tag[];
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  version: number;
  healthStatus: HealthStatus;
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  connectivityAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  containers: ContainerRecord[];
  /** The task's ENI when its task definition uses `awsvpc`. */
  networkInterface?: NetworkInterfaceRecord;
  /** Pending lifecycle timers, cleared when the task stops early. */
  timers: ClockTimer[];
}
