/** Shapes of the Corral HTTP API as the CLI reads them (see DESIGN.md "Public contract"). */

export interface StatusCounts {
  desired?: number;
  running?: number;
  healthy?: number;
  updated?: number;
  available?: number;
}

export interface ServiceStatus {
  phase?: string;
  observedGeneration?: number;
  revision?: number;
  targetRevision?: number;
  /** The image of `revision`: what runs. */
  image?: string;
  stableRevision?: number;
  counts?: StatusCounts;
  message?: string;
  conditions?: unknown;
  /** The rollout in progress; a canary's `step` (0-based), `steps` and `weight` (percent on the new revision). */
  rollout?: { step?: number; steps?: number; weight?: number; waiting?: { kind: string } };
}

export type Spec = Record<string, unknown>;

export interface ServiceObject {
  name: string;
  generation: number;
  spec: Spec;
  status?: ServiceStatus;
}

export interface JobRun {
  tick: string;
  status: string;
  taskArn?: string;
  exitCode?: number;
  stoppedReason?: string;
  durationSeconds?: number;
  latenessSeconds?: number;
  startedAt?: string;
  stoppedAt?: string;
}

export interface JobStatus {
  nextRunAt?: string;
  timeZone?: string;
  lastScheduledTick?: string;
  activeRuns?: number;
  /** Newest first. */
  lastRuns?: JobRun[];
  deleting?: boolean;
}

export interface JobObject {
  name: string;
  generation: number;
  spec: Spec;
  status?: JobStatus;
}

export interface ServiceEvent {
  time: string;
  type: string;
  message: string;
  [more: string]: unknown;
}

export interface SecretInfo {
  name: string;
  arn?: string;
  rotationEnabled?: boolean;
  lastRotatedAt?: string;
  nextRotationAt?: string;
  consumers?: unknown[];
  [more: string]: unknown;
}

/** Answer of `POST /secrets/{name}/rotate`: the services that will be restarted. */
export interface RotationStarted {
  name: string;
  versionId?: string;
  consumers?: unknown[];
}
