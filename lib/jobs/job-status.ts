import { activeRunStatuses, type JobRecord, type JobRun } from '../aws/job-store.js';
import { nextTickOf } from '../core/jobs/index.js';

/** A run as the API shows it: times as ISO strings, bookkeeping left out. */
export interface PublicJobRun {
  tick: string;
  status: JobRun['status'];
  taskArn?: string;
  exitCode?: number;
  stoppedReason?: string;
  durationSeconds?: number;
  /** How late the run started: RunTask's task creation minus the tick, in seconds. */
  latenessSeconds?: number;
  startedAt?: string;
  stoppedAt?: string;
}

export interface PublicJobStatus {
  /** The next tick after now (an absolute UTC instant, never in the past); absent when none comes. */
  nextRunAt?: string;
  timeZone: string;
  lastScheduledTick?: string;
  activeRuns: number;
  /** Newest first. */
  lastRuns: PublicJobRun[];
  deleting?: true;
}

/** `status` of `GET /jobs/{name}` from the job and its runs (newest first) at `now`. */
export function publicJobStatus(job: JobRecord, runs: readonly JobRun[], now: number): PublicJobStatus {
  const lastScheduledTick = runs.length === 0 ? undefined : Math.max(...runs.map((run) => run.tick));
  // A tick due this very moment is the dispatcher's to start (it shows in lastRuns within a
  // second); the next one is what is still to come.
  const nextRunAt = job.deleting ? undefined : nextTickOf({ ...job.spec, scheduleAnchor: job.scheduleAnchor }, now);
  return {
    ...(nextRunAt === undefined ? {} : { nextRunAt: iso(nextRunAt) }),
    timeZone: job.spec.timeZone,
    ...(lastScheduledTick === undefined ? {} : { lastScheduledTick: iso(lastScheduledTick) }),
    activeRuns: runs.filter((run) => activeRunStatuses.includes(run.status)).length,
    lastRuns: runs.map(publicRun),
    ...(job.deleting ? { deleting: true as const } : {}),
  };
}

function publicRun(run: JobRun): PublicJobRun {
  return {
    tick: iso(run.tick),
    status: run.status,
    ...(run.taskArn === undefined ? {} : { taskArn: run.taskArn }),
    ...(run.exitCode === undefined ? {} : { exitCode: run.exitCode }),
    ...(run.stoppedReason === undefined ? {} : { stoppedReason: run.stoppedReason }),
    ...(run.durationSeconds === undefined ? {} : { durationSeconds: run.durationSeconds }),
    ...(run.startedAt === undefined ? {} : { latenessSeconds: Math.max(0, run.startedAt - run.tick) / 1000 }),
    ...(run.startedAt === undefined ? {} : { startedAt: iso(run.startedAt) }),
    ...(run.stoppedAt === undefined ? {} : { stoppedAt: iso(run.stoppedAt) }),
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
