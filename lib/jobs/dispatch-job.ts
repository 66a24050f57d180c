import type { Logger } from '@aws-lambda-powertools/logger';
import type { ContainerRuntime, ObservedTask } from '../aws/container-runtime.js';
import { activeRunStatuses, type JobDispatchState, type JobRecord, type JobRun, type JobStore } from '../aws/job-store.js';
import { type Schedule, decideDispatch, dueTicks, isSchedule, jobRunGroup, nextRunAfter, parseSchedule, pastStartingDeadline, timedOutRuns } from '../core/jobs/index.js';
import type { Lease } from '../core/lease/index.js';
import { countRunOutcome, countRunStart } from '../observability/job-metrics.js';
import type { MetricsRecorder } from '../observability/metrics.js';
import { jobStartedBy, jobTagKey } from '../core/task-definition.js';
import type { TaskDefinitionSettings } from '../reconciler/task-definitions.js';
import { jobDefaults } from './defaults.js';
import { JobDispatchError } from './errors.js';
import { taskDefinitionArnFor } from './job-task-definition.js';
import { lostRunChanges, runChangesFor } from './run-outcome.js';
import { jobRunClientToken } from './run-token.js';

export interface JobDispatchDependencies {
  jobs: JobStore;
  runtime: ContainerRuntime;
  taskDefinitions: TaskDefinitionSettings;
  logger: Logger;
  metrics: MetricsRecorder;
}

/** What one dispatch of one job did, for logs and tests. */
export interface JobDispatchResult {
  /** The tick whose run was started (recorded and launched) by this call. */
  started?: number;
  /** The tick recorded as Skipped (concurrencyPolicy Forbid). */
  skipped?: number;
  /** Ticks recorded as Missed (past startingDeadlineSeconds, or superseded by a catch-up). */
  missed: number[];
  /** When the job next needs the leader (its next tick, or an active run's timeout); none when never. */
  wakeUpAt?: number;
  /** Ticks of runs stopped for their timeout or replaced. */
  timedOut: number[];
  replaced: number[];
  /** The job was being deleted and is now gone. */
  removed: boolean;
}

/**
 * One leader tick for one job, every write fenced by `lease`:
 *   1. stamp the job's bookkeeping with the token, so an older leader is refused from here on;
 *   2. observe the job's tasks and record their outcomes in the runs;
 *   3. launch runs recorded but not launched yet (a dispatcher died between the two), with the
 *      run's own client token, so ECS starts at most one task per run;
 *   4. stop runs past `timeoutSeconds`;
 *   5. record the ticks that will not run as Missed (past startingDeadlineSeconds, or older
 *      ticks of an outage), and if a tick is due (after an outage: the newest, once), apply the
 *      concurrency policy, record the run (conditional on its tick) and only then call RunTask;
 *   6. prune the history to the newest runs, and say when the job next needs the leader.
 * Outcomes normally arrive sooner, from the tasks' own state changes (task-events.ts); step 2
 * is the safety net for an event that never came.
 * A job being deleted has its tasks stopped and its items removed instead.
 */
export async function dispatchJob(
  deps: JobDispatchDependencies,
  lease: Pick<Lease, 'name' | 'token'>,
  job: JobRecord,
  now: number,
): Promise<JobDispatchResult> {
  const result: JobDispatchResult = { timedOut: [], replaced: [], missed: [], removed: false };
  const state = await deps.jobs.claimDispatch(lease, job.name);
  const observed = await deps.runtime.observe(jobStartedBy(job.name));
  if (job.deleting) {
    await stopLiveTasks(deps, observed, `${jobDefaults.stopReasonPrefix}job ${job.name} was deleted`);
    await deps.jobs.removeJob(lease, job.name);
    return { ...result, removed: true };
  }

  const runs = new Map((await deps.jobs.listRuns(job.name)).map((run) => [run.tick, run]));
  const update = async (run: JobRun, changes: Partial<JobRun>): Promise<boolean> => {
    const applied = await deps.jobs.updateRun(lease, job.name, run.tick, changes, [run.status]);
    if (applied) {
      runs.set(run.tick, { ...run, ...changes });
      countRunOutcome(deps.metrics, job.name, changes);
      countRunStart(deps.metrics, job.name, run, changes);
    } else {
      // A task state change got there first (jobs/task-events.ts): act on what it recorded.
      const current = await deps.jobs.getRun(job.name, run.tick);
      if (current !== undefined) runs.set(run.tick, current);
    }
    return applied;
  };

  await recordOutcomes(deps, [...runs.values()], observed, now, update);
  for (const run of [...runs.values()].filter((r) => r.status === 'Pending' && r.taskArn === undefined)) {
    if (pastStartingDeadline(run.tick, now, job.spec.startingDeadlineSeconds)) {
      const reason = `not started: RunTask did not start it within startingDeadlineSeconds (${job.spec.startingDeadlineSeconds}) of its tick`;
      if (await update(run, { status: 'Missed', stoppedReason: reason })) result.missed.push(run.tick);
    } else if (now - run.recordedAt > jobDefaults.launchDeadlineMs) {
      await update(run, { status: 'Failed', stoppedAt: now, stoppedReason: `not launched within ${jobDefaults.launchDeadlineMs / 60_000} minutes of being recorded` });
    } else {
      await launch(deps, job.name, run, now, update);
    }
  }
  await restopCorralStopped(deps, [...runs.values()], observed);

  for (const run of timedOutRuns(startedRuns(runs), job.spec.timeoutSeconds, now)) {
    const timeoutReason = `${jobDefaults.stopReasonPrefix}job ${job.name} ran longer than its timeoutSeconds (${job.spec.timeoutSeconds})`;
    if (await update(run, { status: 'TimedOut', stoppedReason: timeoutReason })) {
      await deps.runtime.stopTask(run.taskArn!, timeoutReason);
      result.timedOut.push(run.tick);
    }
  }

  const schedule = parseSchedule(job.spec.schedule);
  if (!isSchedule(schedule)) throw new JobDispatchError(`job ${job.name}: stored schedule does not parse: ${schedule.message}`);
  const lastScheduledTick = runs.size === 0 ? undefined : Math.max(...runs.keys());
  const due = dueTicks(schedule, {
    lastScheduledTick,
    anchor: job.scheduleAnchor,
    now,
    timeZone: job.spec.timeZone,
    startingDeadlineSeconds: job.spec.startingDeadlineSeconds,
    missedLimit: jobDefaults.runHistoryLimit,
  });
  for (const { tick, reason } of due.missed) {
    const missed: JobRun = { tick, status: 'Missed', generation: job.generation, recordedAt: now, stoppedReason: reason };
    if ((await deps.jobs.recordRun(lease, job.name, missed)) === 'recorded') {
      runs.set(tick, missed);
      countRunOutcome(deps.metrics, job.name, missed);
      result.missed.push(tick);
    }
  }
  if (due.run !== undefined) await dispatchTick({ deps, lease, job, state, now, runs, update, result }, due.run);

  await prune(deps, lease, job.name);
  const wakeUpAt = nextWakeUp(job, schedule, runs, now);
  return wakeUpAt === undefined ? result : { ...result, wakeUpAt };
}

/**
 * The next instant this job needs the leader: its next tick, or sooner the moment an active
 * run reaches its timeoutSeconds.
 */
function nextWakeUp(job: JobRecord, schedule: Schedule, runs: Map<number, JobRun>, now: number): number | undefined {
  const times = [nextRunAfter(schedule, now, job.scheduleAnchor, job.spec.timeZone)];
  if (job.spec.timeoutSeconds !== undefined) {
    for (const run of startedRuns(runs)) times.push(Math.max(now, run.startedAt + job.spec.timeoutSeconds * 1000));
  }
  const defined = times.filter((t): t is number => t !== undefined);
  return defined.length === 0 ? undefined : Math.min(...defined);
}

type RunUpdate = (run: JobRun, changes: Partial<JobRun>) => Promise<boolean>;

/** One job's dispatch in progress: its runs as last written, and how to change one. */
interface JobPass {
  deps: JobDispatchDependencies;
  lease: Pick<Lease, 'name' | 'token'>;
  job: JobRecord;
  state: JobDispatchState;
  now: number;
  runs: Map<number, JobRun>;
  update: RunUpdate;
  result: JobDispatchResult;
}

async function dispatchTick(pass: JobPass, tick: number): Promise<void> {
  const { deps, lease, job, state, now, runs, update, result } = pass;
  const active = [...runs.values()].filter((run) => activeRunStatuses.includes(run.status));
  const decision = decideDispatch(
    job.spec.concurrencyPolicy,
    active.map((run) => ({ runId: String(run.tick), startedAt: run.startedAt ?? run.recordedAt })),
    tick,
  );
  if (!decision.start) {
    const skipped: JobRun = { tick, status: 'Skipped', generation: job.generation, recordedAt: now, stoppedReason: decision.skipReason };
    if ((await deps.jobs.recordRun(lease, job.name, skipped)) === 'recorded') {
      result.skipped = tick;
      countRunOutcome(deps.metrics, job.name, skipped);
    }
    return;
  }
  const taskDefinitionArn = await taskDefinitionArnFor(deps, lease, job, state);
  const run: JobRun = { tick, status: 'Pending', generation: job.generation, taskDefinitionArn, recordedAt: now };
  // The tick is claimed before anything is stopped or started: a dispatcher that finds it
  // taken (its own retry, or another leader's) does neither.
  if ((await deps.jobs.recordRun(lease, job.name, run)) === 'exists') return;
  runs.set(tick, run);
  const replaceReason = `${jobDefaults.stopReasonPrefix}replaced by the run of ${new Date(tick).toISOString()} (concurrencyPolicy Replace)`;
  for (const id of decision.stop) {
    const old = runs.get(Number(id));
    if (old === undefined || !(await update(old, { status: 'Replaced', stoppedReason: replaceReason }))) continue;
    if (old.taskArn !== undefined) await deps.runtime.stopTask(old.taskArn, replaceReason);
    result.replaced.push(old.tick);
  }
  await launch(deps, job.name, run, now, update);
  result.started = tick;
}

/**
 * Starts a recorded run's task. RunTask errors (throttling, an outage) leave the run Pending
 * without a task, to be launched again on the next tick with the same client token; a launch
 * ECS refuses outright (no capacity) fails the run.
 */
async function launch(deps: JobDispatchDependencies, job: string, run: JobRun, now: number, update: RunUpdate): Promise<void> {
  let outcome;
  try {
    outcome = await deps.runtime.runTasks({
      taskDefinitionArn: run.taskDefinitionArn!,
      count: 1,
      startedBy: jobStartedBy(job),
      group: jobRunGroup(job, run.tick),
      clientToken: jobRunClientToken(job, run.tick),
      tags: { [jobTagKey]: job },
    });
  } catch (error) {
    deps.logger.warn('could not launch a job run; retrying on the next tick', { job, tick: new Date(run.tick).toISOString(), errorName: (error as Error).name, errorMessage: (error as Error).message });
    return;
  }
  const [task] = outcome.tasks;
  if (task !== undefined) {
    await update(run, {
      taskArn: task.taskArn,
      startedAt: task.createdAt || now,
      ...(task.lastStatus === 'RUNNING' ? { status: 'Running' } : {}),
    });
    return;
  }
  const failure = outcome.failures.map((f) => `${f.reason}${f.detail ? ` (${f.detail})` : ''}`).join('; ') || 'no task and no failure';
  await update(run, { status: 'Failed', stoppedAt: now, stoppedReason: `RunTask failed: ${failure}` });
}

/** Runs with a task whose outcome the observation shows, and runs whose task is gone. */
async function recordOutcomes(
  deps: JobDispatchDependencies,
  runs: JobRun[],
  observed: ObservedTask[],
  now: number,
  update: RunUpdate,
): Promise<void> {
  const watched = runs.filter((run) => run.taskArn !== undefined && run.stoppedAt === undefined);
  const byArn = new Map(observed.map((task) => [task.taskArn, task]));
  const unlisted = watched.filter((run) => !byArn.has(run.taskArn!)).map((run) => run.taskArn!);
  // A task just launched may not be listed yet, and a stopped one drops out after an hour:
  // describing it by ARN tells the two apart.
  if (unlisted.length > 0) for (const task of await deps.runtime.describeTasks(unlisted)) byArn.set(task.taskArn, task);
  for (const run of watched) {
    const task = byArn.get(run.taskArn!);
    const changes = task === undefined ? lostRunChanges(run, now) : runChangesFor(run, task, now);
    if (changes !== undefined) await update(run, changes);
  }
}

/** Runs Corral decided to stop whose task still runs (the StopTask after the record was lost). */
async function restopCorralStopped(deps: JobDispatchDependencies, runs: JobRun[], observed: ObservedTask[]): Promise<void> {
  const live = new Map(observed.filter(isLive).map((task) => [task.taskArn, task]));
  for (const run of runs) {
    if ((run.status === 'TimedOut' || run.status === 'Replaced') && run.taskArn !== undefined && live.has(run.taskArn)) {
      await deps.runtime.stopTask(run.taskArn, run.stoppedReason ?? `${jobDefaults.stopReasonPrefix}stopped`);
    }
  }
}

async function stopLiveTasks(deps: JobDispatchDependencies, observed: ObservedTask[], reason: string): Promise<void> {
  for (const task of observed.filter(isLive)) await deps.runtime.stopTask(task.taskArn, reason);
}

/** Active runs whose task was launched, shaped for timedOutRuns. */
function startedRuns(runs: Map<number, JobRun>): (JobRun & { runId: string; startedAt: number })[] {
  return [...runs.values()]
    .filter((run) => activeRunStatuses.includes(run.status) && run.taskArn !== undefined && run.startedAt !== undefined)
    .map((run) => ({ ...run, runId: String(run.tick), startedAt: run.startedAt! }));
}

/** Keeps the newest `runHistoryLimit` runs and every active one. */
async function prune(deps: JobDispatchDependencies, lease: Pick<Lease, 'name' | 'token'>, job: string): Promise<void> {
  const runs = await deps.jobs.listRuns(job);
  for (const run of runs.slice(jobDefaults.runHistoryLimit)) {
    if (!activeRunStatuses.includes(run.status)) await deps.jobs.deleteRun(lease, job, run.tick);
  }
}

function isLive(task: ObservedTask): boolean {
  return task.lastStatus !== 'STOPPED' && task.desiredStatus !== 'STOPPED';
}
