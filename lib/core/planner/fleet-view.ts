import { FAILED_TASK_MEMORY_MS, STOP_REASON_PREFIX } from './defaults.js';
import type { ObservedTask, ServiceStatus } from './types.js';

/** One observed task with what the planner derives from it at `now`. */
export interface TaskView {
  task: ObservedTask;
  /** lastStatus STOPPED: gone for good. */
  gone: boolean;
  /**
   * Asked to stop (desiredStatus STOPPED) or shutting down, but not STOPPED yet: still counts
   * towards the surge bound, never towards availability or its slot.
   */
  goingAway: boolean;
  /** Neither gone nor going away: the task holds its slot. */
  live: boolean;
  /** Live and lastStatus RUNNING. */
  running: boolean;
  /** Live, and its health check says UNHEALTHY: Corral must stop and replace it. */
  unhealthy: boolean;
  /** Running and HEALTHY (or running, for a revision without a health check). */
  healthy: boolean;
  /** When a healthy task becomes (or became) available: healthy since + minHealthySeconds. */
  availableAt?: number;
  /** Healthy continuously for minHealthySeconds. */
  available: boolean;
}

/** Per-revision tallies, so switching the target revision costs nothing. */
export interface RevisionTally {
  live: number;
  available: number;
  notStopped: number;
}

/** A failure counted at this reconcile. */
export interface FailureView {
  view: TaskView;
  /** It had been available before failing (so it does not count against a rollout). */
  wasAvailable: boolean;
  /** Human description: "stopped: EssentialContainerExited, exit code 1" or "UNHEALTHY". */
  what: string;
}

/** The whole fleet classified in one pass: O(tasks). */
export interface FleetView {
  views: TaskView[];
  byRevision: Map<number, RevisionTally>;
  /** Tasks whose lastStatus is not STOPPED, all revisions: what the surge bound limits. */
  notStopped: number;
  running: number;
  healthy: number;
  available: number;
  /** Live tasks RUNNING with a health check that has not spoken yet (no ECS event will tell). */
  awaitingHealth: number;
  /** The next `status.healthySince`. */
  healthySince: Record<string, number>;
  /** The next `status.failedTasks`. */
  failedTasks: Record<string, number>;
  failures: FailureView[];
}

export interface FleetViewInput {
  tasks: readonly ObservedTask[];
  now: number;
  minHealthyMs: number;
  hasHealthCheck: (revision: number) => boolean;
  previous: ServiceStatus | undefined;
}

const SHUTTING_DOWN = new Set(['DEACTIVATING', 'STOPPING', 'DEPROVISIONING']);

/**
 * Stop codes that say nothing about the revision: an operator's or Corral's StopTask, or the
 * platform taking capacity back. Anything else (EssentialContainerExited, TaskFailedToStart,
 * or no code at all) is the task failing.
 */
const NOT_A_FAILURE = new Set(['UserInitiated', 'SpotInterruption', 'TerminationNotice', 'ServiceSchedulerInitiated']);

export function isFailedStop(task: ObservedTask): boolean {
  return task.lastStatus === 'STOPPED' && !NOT_A_FAILURE.has(task.stopCode ?? '');
}

/** Whether Corral's planner stopped this task itself (scale-down, rollout, replacement, delete). */
export function isStoppedByCorral(task: ObservedTask): boolean {
  return task.stoppedReason?.startsWith(STOP_REASON_PREFIX) ?? false;
}

export function describeStop(task: ObservedTask): string {
  const parts = [task.stopCode ?? 'no stop code'];
  if (task.exitCode !== undefined) parts.push(`exit code ${task.exitCode}`);
  if (task.stoppedReason) parts.push(task.stoppedReason);
  return `stopped: ${parts.join(', ')}`;
}

export function fleetView(input: FleetViewInput): FleetView {
  const { tasks, now, minHealthyMs, hasHealthCheck, previous } = input;
  const previousHealthy = previous?.healthySince ?? {};
  const previousFailed = previous?.failedTasks ?? {};
  const fleet: FleetView = {
    views: new Array<TaskView>(tasks.length),
    byRevision: new Map(),
    notStopped: 0,
    running: 0,
    healthy: 0,
    available: 0,
    awaitingHealth: 0,
    healthySince: {},
    failedTasks: {},
    failures: [],
  };
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i];
    const checked = hasHealthCheck(task.revision);
    const gone = task.lastStatus === 'STOPPED';
    const goingAway = !gone && (task.desiredStatus === 'STOPPED' || SHUTTING_DOWN.has(task.lastStatus));
    const live = !gone && !goingAway;
    const running = live && task.lastStatus === 'RUNNING';
    const unhealthy = live && ((checked && task.healthStatus === 'UNHEALTHY') || task.traffic === 'failing');
    const healthy = running && (checked ? task.healthStatus === 'HEALTHY' : true) && (task.traffic === undefined || task.traffic === 'ready');
    let availableAt: number | undefined;
    if (healthy) {
      // Without a health check (or a readiness gate), RUNNING is the health signal and ECS dates it exactly.
      const tracked = checked || task.traffic !== undefined;
      const since = tracked
        ? (task.healthySince ?? previousHealthy[task.taskArn] ?? now)
        : (task.startedAt ?? task.healthySince ?? previousHealthy[task.taskArn] ?? now);
      if (tracked || task.startedAt === undefined) fleet.healthySince[task.taskArn] = since;
      availableAt = since + minHealthyMs;
    }
    const available = availableAt !== undefined && availableAt <= now;
    const view: TaskView = { task, gone, goingAway, live, running, unhealthy, healthy, availableAt, available };
    fleet.views[i] = view;

    let tally = fleet.byRevision.get(task.revision);
    if (!tally) {
      tally = { live: 0, available: 0, notStopped: 0 };
      fleet.byRevision.set(task.revision, tally);
    }
    if (!gone) {
      fleet.notStopped++;
      tally.notStopped++;
    }
    if (live) tally.live++;
    if (available) {
      tally.available++;
      fleet.available++;
    }
    if (running) fleet.running++;
    if (healthy) fleet.healthy++;
    if (running && checked && task.healthStatus === 'UNKNOWN') fleet.awaitingHealth++;

    const counted = previousFailed[task.taskArn];
    if (counted !== undefined) {
      fleet.failedTasks[task.taskArn] = counted;
    } else if (unhealthy || isFailedStop(task)) {
      fleet.failedTasks[task.taskArn] = now;
      // A STOPPED task a never-reconciled service already had is history, not a new failure.
      if (unhealthy || previous !== undefined) {
        fleet.failures.push({
          view,
          wasAvailable: wasAvailable(task, checked, previousHealthy[task.taskArn], minHealthyMs, now),
          what: unhealthy ? (task.traffic === 'failing' ? 'failing its load balancer health check' : 'UNHEALTHY') : describeStop(task),
        });
      }
    }
  }
  // A failure stays counted while ECS may still list its task: an observation that misses the
  // task (a listing that lags, a stale sweep snapshot) must not make the next one count it again.
  for (const [taskArn, countedAt] of Object.entries(previousFailed)) {
    if (fleet.failedTasks[taskArn] === undefined && now - countedAt < FAILED_TASK_MEMORY_MS) fleet.failedTasks[taskArn] = countedAt;
  }
  return fleet;
}

/** Whether a task that just failed had been available: healthy long enough before it failed. */
function wasAvailable(
  task: ObservedTask,
  checked: boolean,
  healthySince: number | undefined,
  minHealthyMs: number,
  now: number,
): boolean {
  const since = checked ? (task.healthySince ?? healthySince) : (task.startedAt ?? healthySince);
  if (since === undefined) return false;
  return since + minHealthyMs <= (task.stoppedAt ?? now);
}
