import type { ObservedTask } from '../aws/container-runtime.js';
import type { JobRun, RunStatus } from '../aws/job-store.js';

/**
 * What an observation of a run's task changes in the run record, or undefined when nothing.
 * A task that stopped by itself succeeded when its essential container exited with 0; a run
 * Corral stopped (TimedOut, Replaced) keeps its status and gains the task's end.
 *
 * durationSeconds is how long the task ran: from its containers starting (ECS `startedAt`; the
 * task's creation if they never started) to the moment it began stopping (`stoppingAt`: the
 * container exited or StopTask came), leaving out image pull and deprovisioning. Example:
 * RUNNING at 12:00:03.000, container exits at 12:01:33.400, STOPPED at 12:01:34.900 →
 * durationSeconds 90.4.
 */
export function runChangesFor(run: JobRun, task: ObservedTask, now: number): Partial<JobRun> | undefined {
  if (task.lastStatus === 'STOPPED') {
    if (run.stoppedAt !== undefined) return undefined;
    const stoppedAt = task.stoppedAt ?? now;
    const ranFrom = task.startedAt ?? task.createdAt;
    const ranUntil = task.stoppingAt ?? stoppedAt;
    const stoppedByCorral = run.status === 'TimedOut' || run.status === 'Replaced';
    return {
      status: stoppedByCorral ? run.status : finishedStatus(task),
      stoppedAt,
      durationSeconds: Math.max(0, ranUntil - ranFrom) / 1000,
      ...(task.exitCode === undefined ? {} : { exitCode: task.exitCode }),
      ...(stoppedByCorral ? {} : { stoppedReason: reasonOf(task) }),
    };
  }
  if (run.status === 'Pending' && task.lastStatus === 'RUNNING') return { status: 'Running' };
  return undefined;
}

/** A run whose task ECS no longer knows (stopped and forgotten before the dispatcher looked). */
export function lostRunChanges(run: JobRun, now: number): Partial<JobRun> {
  return {
    ...(run.status === 'TimedOut' || run.status === 'Replaced' ? {} : { status: 'Failed', stoppedReason: 'the task is no longer known to ECS' }),
    stoppedAt: now,
  };
}

function finishedStatus(task: ObservedTask): RunStatus {
  return task.stopCode === 'EssentialContainerExited' && task.exitCode === 0 ? 'Succeeded' : 'Failed';
}

function reasonOf(task: ObservedTask): string {
  const reason = task.stoppedReason ?? task.stopCode ?? 'stopped';
  return task.containerReason ? `${reason}: ${task.containerReason}` : reason;
}
