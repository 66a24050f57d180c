/**
 * The planner's inputs and outputs. `plan(desired, observed, now)` is pure: everything it knows
 * comes from these values, and everything it decides goes out in a `Plan`. Its only memory
 * between invocations is the `ServiceStatus` the previous invocation returned (and the shell
 * wrote under its lease), so a reconciler that dies at any point loses nothing the next one
 * cannot re-derive from ECS and that status.
 */

import type { AlarmReading } from './alarm-gate.js';
import type { CanaryStep } from './canary.js';

/** How a new revision replaces the old one. */
export type RolloutStrategy = 'RollingUpdate' | 'Recreate' | 'Canary';

/**
 * The slice of a service spec the planner needs, with every default filled and every
 * percentage already turned into a count (the lead maps `ServiceSpec` + `resolveRollout` to it).
 */
export interface PlannerSpec {
  /** Tasks wanted, 0..1000. */
  replicas: number;
  strategy: RolloutStrategy;
  /** Tasks allowed above `replicas` (counted over every task not yet STOPPED) during a rollout. */
  maxSurge: number;
  /** Tasks allowed below `replicas` available during a rollout. */
  maxUnavailable: number;
  /** How long a task must stay RUNNING and HEALTHY (or just RUNNING, without a health check) to count as available. */
  minHealthySeconds: number;
  /** A forward rollout fails when no new task becomes available for this long (paused time excluded). */
  progressDeadlineSeconds: number;
  /** A forward rollout fails when this many new tasks stop or turn UNHEALTHY before becoming available. */
  failureThreshold: number;
  /** On failure, go back to the stable revision (true) or stop where the rollout is (false). */
  autoRollback: boolean;
  /** Whether tasks of the wanted revision have a container health check. */
  hasHealthCheck: boolean;
  /** Canary only: the steps, in order. */
  steps?: readonly CanaryStep[];
  /** CloudWatch alarms gating a rollout; the shell reads their states into `Observed.alarms`. */
  alarms?: readonly string[];
}

/** What the user wants, as of one generation of the service record. */
export interface Desired {
  name: string;
  /** Generation of the service record; becomes `status.observedGeneration`. */
  generation: number;
  spec: PlannerSpec;
  /** The revision the user's spec asks for. */
  revision: number;
  /** The last fully available revision, if the shell keeps it elsewhere; otherwise taken from `status`. */
  stableRevision?: number;
  /** Pause: the planner starts and stops nothing, and the progress deadline does not run. */
  paused: boolean;
  /** Delete: stop every task, then ask for the service's records to be removed. */
  deleting: boolean;
  /**
   * Promotions the user asked for: a counter, so a repeated request is neither lost nor doubled;
   * `fullCount` is the count at the latest promote that skips every step (0: none).
   */
  promotion?: { count: number; fullCount: number };
  /** The user aborted the rollout of `revision`: back to the stable revision, marked Aborted. */
  aborted?: boolean;
  /** Per-revision facts for tasks of other revisions; a missing entry falls back to `spec`. */
  revisionSpecs?: Record<number, { hasHealthCheck: boolean; image?: string }>;
  /** Every revision kept for the service, and how many to keep: the plan prunes the rest. */
  revisions?: readonly number[];
  revisionHistoryLimit?: number;
}

/** ECS task `lastStatus` values, in lifecycle order. */
export type TaskLastStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'ACTIVATING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'DEPROVISIONING'
  | 'STOPPED';

/** One ECS task started for this service (found by `startedBy`), RUNNING or recently STOPPED. */
export interface ObservedTask {
  taskArn: string;
  /** Revision the task was started from (from its task definition). */
  revision: number;
  /** Slot the task was started into (0..replicas-1 when started). */
  slot: number;
  /** ECS `lastStatus`; unknown values are treated like PENDING. */
  lastStatus: TaskLastStatus | (string & {});
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  /** Epoch ms. */
  createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  /**
   * First time a reconciler saw the task HEALTHY, if the shell tracks it; otherwise the planner
   * uses `status.healthySince[taskArn]`, which it maintains itself.
   */
  healthySince?: number;
  /** ECS `stopCode`: TaskFailedToStart, EssentialContainerExited, UserInitiated, ... */
  stopCode?: string;
  stoppedReason?: string;
  /** Exit code of the essential container, when it exited. */
  exitCode?: number;
  /**
   * The readiness gate, for a revision behind target groups or in Cloud Map (lib/core/traffic):
   * only `ready` lets the task count as healthy (and minHealthySeconds start); `failing` (the load
   * balancer's check fails) counts as UNHEALTHY; `draining` is live but never available.
   */
  traffic?: 'ready' | 'pending' | 'failing' | 'draining';
}

/** What ECS shows now, plus what the last reconcile wrote. */
export interface Observed {
  /** Every task of the service: not yet STOPPED, and STOPPED ones ECS still lists (about an hour). */
  tasks: readonly ObservedTask[];
  /** The status the last reconcile wrote; absent for a service never reconciled. */
  status?: ServiceStatus;
  /** States of `spec.alarms`, when the spec has any and a rollout may be under way. */
  alarms?: AlarmReading;
}

/** One task to launch with RunTask. */
export interface PlannedStart {
  revision: number;
  slot: number;
  /** ARN of the task this one takes over from (a failed task of its slot, or the old revision's task in it). */
  replaces?: string;
}

/** One task to stop with StopTask; `reason` (≤ 255 characters) becomes the task's `stoppedReason`. */
export interface PlannedStop {
  taskArn: string;
  reason: string;
}

/** Types of the events the planner decides; each comes with a human message. */
export type PlanEventType =
  | 'ScaledUp'
  | 'ScaledDown'
  | 'TaskReplaced'
  | 'TaskUnhealthy'
  | 'TaskFailed'
  | 'BackOff'
  | 'BackOffReset'
  | 'RolloutStarted'
  | 'RolloutProgressed'
  | 'RolloutCompleted'
  | 'RolloutFailed'
  | 'RolledBack'
  | 'RolloutPaused'
  | 'RolloutResumed'
  | 'Available'
  | 'Terminating'
  | 'ServiceRemoved'
  | 'CanaryStep'
  | 'CanaryPromoted'
  | 'AlarmFiringAtStart'
  | 'RolloutHeld'
  | 'RolloutAborted';

/** Types of the events recorded from what the shell's calls did (afterLaunch) and from requests. */
export type OutcomeEventType = 'TasksStarted' | 'RunTaskFailed' | 'TaskDefinitionRejected' | 'Stalled';
export type RequestEventType = 'RollbackRequested' | 'SecretRotated';

/** Every event type a service's event list can hold: one union, no free strings. */
export type ServiceEventType = PlanEventType | OutcomeEventType | RequestEventType;

export interface PlanEvent {
  type: PlanEventType | OutcomeEventType;
  message: string;
  /** The task the event is about, for per-task events. */
  taskArn?: string;
  /** The revision it is about, when not the status's revision. */
  revision?: number;
}

/** The planner's decision for one reconcile. */
export interface Plan {
  start: PlannedStart[];
  stop: PlannedStop[];
  /** The status to write (fenced by the lease); the next reconcile reads it back as `observed.status`. */
  status: ServiceStatus;
  events: PlanEvent[];
  /**
   * Events that describe `start` ("Scaled up: started 2 tasks"): intent until RunTask answers, so
   * `afterLaunch` records them only for a launch that started everything.
   */
  launchEvents: PlanEvent[];
  /** Revisions to delete: beyond `revisionHistoryLimit` and not in use (wanted, stable, running). */
  prune: number[];
  /** Reconcile again after this many ms: the earliest moment a gate can open. Absent when nothing is pending on time. */
  requeueAfterMs?: number;
  /** Delete finished: no task remains, so the service's records can go. */
  removeService?: boolean;
}

export type ServicePhase =
  | 'Pending'
  | 'Progressing'
  | 'Available'
  | 'Degraded'
  | 'Failed'
  | 'RolledBack'
  | 'Paused'
  | 'Aborted'
  | 'Terminating';

/** Task counts as observed at the reconcile (before the plan is applied). */
export interface ServiceCounts {
  /** `replicas`. */
  desired: number;
  /** Tasks RUNNING and not being stopped, any revision. */
  running: number;
  /** Running tasks that pass their health check (or have none), any revision. */
  healthy: number;
  /** Tasks of `status.revision` not being stopped, in any state. */
  updated: number;
  /** Available tasks (healthy for minHealthySeconds), any revision. */
  available: number;
}

/** A Kubernetes-style condition; `lastTransitionTime` moves only when `status` flips. */
export interface ServiceCondition {
  /** Stalled: a TerminalError; not retried until the spec's generation changes. */
  type: 'Available' | 'Progressing' | 'Stalled';
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime: number;
}

/** Bookkeeping of the rollout to `revision`; absent once a rollout completed without failure. */
export interface RolloutRecord {
  /** The revision being rolled out (the stable one while rolling back). */
  revision: number;
  startedAt: number;
  /** Latest moment a task of `revision` became available (or the rollout started / resumed); the deadline runs from here. */
  lastProgressAt: number;
  /** Tasks of `revision` that stopped or turned UNHEALTHY before becoming available (circuit breaker). */
  failures: number;
  /** The user's revision that failed; not retried until the user asks for another revision. */
  failedRevision?: number;
  /** Why it failed, for messages. */
  failureReason?: string;
  /** Which guard failed it, as a condition reason. */
  failureKind?: 'ProgressDeadlineExceeded' | 'CircuitBreakerTripped' | 'AlarmFired' | 'Aborted';
  /** The spec generation it failed at: a later change (a scale) is a fresh rollout of the stable revision. */
  failedGeneration?: number;
  /** Set while paused: when the pause began. */
  pausedAt?: number;
  /** Total time spent paused, for display. */
  pausedMs?: number;
  /** Promotions (Desired.promotion.count) this rollout has taken into account. */
  promotionsSeen?: number;
  /** A user promoted past the alarms that were already firing when the rollout started. */
  firingAtStartAccepted?: boolean;
  /** Why the rollout is held (alarms firing since its start, unreadable or missing); no starts or stops meanwhile. */
  held?: { reason: 'AlarmFiringAtStart' | 'AlarmsUnreadable' | 'AlarmMissing'; message: string };
  /** Canary: index of the step in progress (0-based; `steps` once every step is done). */
  step?: number;
  /** Canary: how many steps there are. */
  steps?: number;
  /** Canary: the weight in force, in percent of replicas on `revision`. */
  weight?: number;
  /** Canary: when the step in progress began. */
  stepStartedAt?: number;
  /** Canary: waiting in a pause, for promote or until a time. */
  waiting?: { kind: 'untilPromoted' } | { kind: 'timed'; endsAt: number };
}

/** Crash-loop backoff of the whole service. */
export interface BackoffRecord {
  /** Consecutive crash-loop steps; the wait is 10 s × 2^(failures-1), at most 5 min. */
  failures: number;
  /** No task starts before this time. */
  until: number;
  /** Latest failure seen; 10 min after it without another the backoff resets. */
  lastFailureAt: number;
}

export interface ServiceStatus {
  phase: ServicePhase;
  observedGeneration: number;
  /** The revision being rolled out or running: the user's revision, or the stable one after a rollback. */
  revision: number;
  /** The last revision that was fully available (all replicas available on it, no other revision left). */
  stableRevision?: number;
  /** The revision the user's spec asks for (differs from `revision` after a rollback). */
  targetRevision: number;
  /** The image of `revision`: what runs, which after a rollback is not the spec's image. */
  image?: string;
  counts: ServiceCounts;
  /** One human sentence, like `kubectl rollout status`. */
  message: string;
  conditions: ServiceCondition[];
  rollout?: RolloutRecord;
  backoff?: BackoffRecord;
  /** taskArn → first time seen RUNNING and HEALTHY, for tasks healthy now (and with a health check). */
  healthySince: Record<string, number>;
  /** taskArn → when its failure was counted, for observed tasks only: a failure counts once. */
  failedTasks: Record<string, number>;
  /** taskArn → when Corral deregistered it from traffic to stop it (lib/core/traffic); absent when none drains. */
  draining?: Record<string, { since: number; failing?: boolean }>;
}
