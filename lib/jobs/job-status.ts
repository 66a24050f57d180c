import { activeRunStatuses, type JobRecord, type JobRun } from '../aws/job-store.js';
import { dueRun, isSchedule, nextRunAfter, parseSchedule } from '../core/jobs/index.js';

/** A run as the API shows it: times as ISO strings, bookkeeping left out. */
export interface PublicJobRun {
  tick: string;
  status: JobRun['status'];
  taskArn?: string;
  exitCode?: number;
  stoppedReason?: string;
  durationSeconds?: number;
  startedAt?: string;
  stoppedAt?: string;
}

export interface PublicJobStatus {
  /** The tick the dispatcher will run next: a due one not dispatched yet, else the next one. */
  nextRunAt?: string;
  lastScheduledTick?: string;
  activeRuns: number;
  /** Newest first. */
  lastRuns: PublicJobRun[];
  deleting?: true;
}

/** `status` of `GET /jobs/{name}` from the job and its runs (newest first) at `now`. */
export function publicJobStatus(job: JobRecord, runs: readonly JobRun[], now: number): PublicJobStatus {
  const schedule = parseSchedule(job.spec.schedule);
  const lastScheduledTick = runs.length === 0 ? undefined : Math.max(...runs.map((run) => run.tick));
  let nextRunAt: number | undefined;
  if (isSchedule(schedule) && !job.deleting) {
    nextRunAt = dueRun(schedule, lastScheduledTick, job.scheduleAnchor, now)?.tick ?? nextRunAfter(schedule, now, job.scheduleAnchor);
  }
  return {
    ...(nextRunAt === undefined ? {} : { nextRunAt: iso(nextRunAt) }),
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
    ...(run.startedAt === undefined ? {} : { startedAt: iso(run.startedAt) }),
    ...(run.stoppedAt === undefined ? {} : { stoppedAt: iso(run.stoppedAt) }),
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
