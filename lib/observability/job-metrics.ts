import type { JobRun } from '../aws/job-store.js';
import { jobRunOutcomes, type JobRunOutcome } from './metric-names.js';
import type { MetricsRecorder } from './metrics.js';

const outcomes: ReadonlySet<string> = new Set(jobRunOutcomes);

/**
 * Counts a run record's write that applied and moved the run to Succeeded, Failed, Missed or
 * Skipped (JobRuns by outcome). Every such write is conditional on the status it was read in,
 * so each outcome is written, and counted, once.
 */
export function countRunOutcome(metrics: MetricsRecorder, job: string, written: Partial<JobRun>): void {
  if (written.status !== undefined && outcomes.has(written.status)) metrics.add('JobRuns', 1, { outcome: written.status as JobRunOutcome, job });
}

/**
 * Counts the start of a run's task as its dispatcher recorded it (JobStartLateness, start
 * minus tick). Only the launching dispatcher counts it: a task state change may record the same
 * start first. Example: the 12:00:00 tick's task created at 12:00:00.350 → 350 ms.
 */
export function countRunStart(metrics: MetricsRecorder, job: string, run: Pick<JobRun, 'tick'>, written: Partial<JobRun>): void {
  if (written.startedAt !== undefined) metrics.add('JobStartLateness', Math.max(0, written.startedAt - run.tick), { job });
}
