import { FencedWriteRejectedError, LeaseLostError } from '../aws/lease-errors.js';
import type { SingletonTask } from '../dispatcher/handler.js';
import type { WakeUps } from '../dispatcher/wake-ups.js';
import type { JobRecord } from '../aws/job-store.js';
import { isSchedule, nextRunAfter, parseSchedule, previousRunAtOrBefore } from '../core/jobs/index.js';
import { dispatchJob, type JobDispatchDependencies } from './dispatch-job.js';

/** How far back a wake-up pass looks for ticks: a tick this recent may still be owed. */
const wakeUpLookBackMs = 2 * 60_000;

/**
 * The leader's jobs pass: every job, one after another, each fenced by the lease. A job that
 * fails (its image's task definition refused, ECS throttling) is logged and retried on the next
 * pass without holding up the others; being fenced out or losing the lease ends the pass, since
 * a newer leader is acting. The pass ends by arming a precise wake-up for the earliest instant
 * a job needs the leader again, so runs start at their tick, not on the next one-minute tick.
 * It runs on the one-minute tick for every job and on every wake-up for the jobs that may need
 * it now (a tick in the last two minutes, or a timeout to enforce), so a wake-up's pass stays
 * short however many jobs there are.
 */
export function jobsSingletonTask(deps: JobDispatchDependencies & { wakeUps?: WakeUps }): SingletonTask {
  return {
    name: 'jobs',
    onWakeUp: true,
    run: async (lease, now, trigger) => {
      const failed: string[] = [];
      let wakeUpAt: number | undefined;
      const listedJobs = await deps.jobs.listJobs();
      const passJobs = trigger === 'wake-up' ? listedJobs.filter((job) => needsLeaderAround(job, now)) : listedJobs;
      for (const listed of listedJobs.filter((job) => !passJobs.includes(job))) {
        // Left for the one-minute tick; their next tick still decides the next wake-up.
        const next = nextTickOf(listed, now);
        if (next !== undefined) wakeUpAt = Math.min(wakeUpAt ?? Infinity, next);
      }
      for (const listed of passJobs) {
        try {
          // The kind index is eventually consistent: act on the spec as it is now (a DELETE
          // or change moments ago included).
          const job = await deps.jobs.getJob(listed.name);
          if (job === undefined) continue;
          const result = await dispatchJob(deps, lease, job, now);
          if (result.wakeUpAt !== undefined) wakeUpAt = Math.min(wakeUpAt ?? Infinity, result.wakeUpAt);
        } catch (error) {
          if (error instanceof FencedWriteRejectedError || error instanceof LeaseLostError) throw error;
          failed.push(listed.name);
          deps.logger.warn('could not dispatch a job', { job: listed.name, errorName: (error as Error).name, errorMessage: (error as Error).message });
        }
      }
      if (wakeUpAt !== undefined && deps.wakeUps !== undefined) {
        try {
          await deps.wakeUps.arm(wakeUpAt, now);
        } catch (error) {
          // The one-minute tick still comes; the run may start up to a minute late.
          deps.logger.warn('could not arm the wake-up', { wakeUpAt: new Date(wakeUpAt).toISOString(), errorName: (error as Error).name, errorMessage: (error as Error).message });
        }
      }
      return { failed, wakeUpAt };
    },
  };
}

function needsLeaderAround(job: JobRecord, now: number): boolean {
  if (job.deleting || job.spec.timeoutSeconds !== undefined) return true;
  const schedule = parseSchedule(job.spec.schedule);
  if (!isSchedule(schedule)) return true;
  const latest = previousRunAtOrBefore(schedule, now, job.scheduleAnchor, job.spec.timeZone);
  return latest !== undefined && now - latest <= wakeUpLookBackMs;
}

function nextTickOf(job: JobRecord, now: number): number | undefined {
  const schedule = parseSchedule(job.spec.schedule);
  return isSchedule(schedule) ? nextRunAfter(schedule, now, job.scheduleAnchor, job.spec.timeZone) : undefined;
}
