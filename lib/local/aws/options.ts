import type { Clock } from '../../clock.js';
import type { LocalBus } from '../bus.js';

/** How long the simulated ECS lifecycle phases take, in clock milliseconds. */
export interface TaskDelays {
  /** PROVISIONING → PENDING (Fargate finding capacity, attaching the ENI). */
  provisioningMs: number;
  /** PENDING → RUNNING (pulling the image, starting containers). */
  pendingMs: number;
  /** STOPPING → DEPROVISIONING (SIGTERM until the containers have exited). */
  stoppingMs: number;
  /** DEPROVISIONING → STOPPED (detaching the ENI). */
  deprovisioningMs: number;
  /** How long a STOPPED task stays visible to ListTasks and DescribeTasks (ECS: at least an hour). */
  stoppedRetentionMs: number;
}

export const defaultTaskDelays: TaskDelays = {
  provisioningMs: 1_000,
  pendingMs: 2_000,
  stoppingMs: 1_000,
  deprovisioningMs: 1_000,
  stoppedRetentionMs: 3_600_000,
};

export interface LocalAwsOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4566 (LocalStack's); 0 picks any free port. */
  port?: number;
  clock: Clock;
  bus: LocalBus;
  /**
   * Where state survives restarts: `dynamodb/` (dynalite's LevelDB), `ecs.jsonl` (a journal of
   * clusters and task definitions; tasks do not survive), `secretsmanager.json` and `cloudwatch.json` (alarms). Undefined
   * keeps all in memory.
   */
  dataDir?: string;
  delays?: Partial<TaskDelays>;
  /** Source of randomness for throttling decisions and partial failures; default Math.random. */
  random?: () => number;
  /** Default '000000000000'. */
  accountId?: string;
  /** Default 'us-east-1'. */
  region?: string;
  /** ECS clusters that exist from the start (ECS needs CreateCluster otherwise). */
  clusters?: string[];
}

export interface RotationEvent {
  Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
  SecretId: string;
  ClientRequestToken: string;
}

export type RotationHandler = (event: RotationEvent) => Promise<void>;

export const localAwsDefaults = {
  host: '127.0.0.1',
  port: 4566,
  accountId: '000000000000',
  region: 'us-east-1',
} as const;
