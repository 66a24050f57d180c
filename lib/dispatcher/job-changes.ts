import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { jobKeys, type JobStore } from '../aws/job-store.js';
import type { Clock } from '../clock.js';
import { nextTickOf } from '../core/jobs/index.js';
import type { WakeUps } from './wake-ups.js';

/**
 * Whether a table stream record is a job's spec being created or changed: the records the
 * dispatcher's stream source passes (the stack's filter is the same, lib/infra).
 */
export function isJobSpecChange(record: DynamoDBRecord): boolean {
  return (
    (record.eventName === 'INSERT' || record.eventName === 'MODIFY') &&
    jobKeys.jobOf(record.dynamodb?.Keys?.pk?.S) !== undefined &&
    record.dynamodb?.Keys?.sk?.S === jobKeys.spec
  );
}

/** Whether the dispatcher was invoked by the table stream. */
export function isTableStreamEvent(event: object): event is DynamoDBStreamEvent {
  return 'Records' in event && Array.isArray(event.Records) && (event.Records[0] as { eventSource?: string } | undefined)?.eventSource === 'aws:dynamodb';
}

export interface JobChangeDependencies {
  jobs: Pick<JobStore, 'getJob'>;
  wakeUps: Pick<WakeUps, 'arm'>;
  clock: Clock;
}

/**
 * A job just created or changed may tick before the dispatcher's next one-minute pass, which
 * is what arms precise wake-ups: EventBridge fires that tick some seconds into the minute, so a
 * `cron(0 12 * * ? *)` job created at 11:59:30 would start at 12:00:0x, late by however far
 * into the minute the tick came. So a job's spec change arms a wake-up for its next tick at once
 * — unless an earlier one is armed already, whose pass then arms the next. No lease: arming is
 * idempotent (a wake-up that finds nothing due is stale and ends), and the jobs pass it starts
 * runs under the lease as every pass does. The spec is read afresh (consistently): the stream
 * record may be older than the spec.
 */
export async function armForChangedJobs(deps: JobChangeDependencies, event: DynamoDBStreamEvent): Promise<number | undefined> {
  const names = new Set(event.Records.filter(isJobSpecChange).map((record) => jobKeys.jobOf(record.dynamodb!.Keys!.pk!.S)!));
  const now = deps.clock.now();
  const ticks: number[] = [];
  for (const name of names) {
    const job = await deps.jobs.getJob(name);
    const tick = job === undefined || job.deleting ? undefined : nextTickOf({ ...job.spec, scheduleAnchor: job.scheduleAnchor }, now);
    if (tick !== undefined) ticks.push(tick);
  }
  if (ticks.length === 0) return undefined;
  const earliest = Math.min(...ticks);
  await deps.wakeUps.arm(earliest, now);
  return earliest;
}
