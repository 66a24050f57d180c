import { FencedWriteRejectedError, LeaseLostError } from '../aws/lease-errors.js';
import type { SingletonTask } from '../dispatcher/handler.js';
import type { WakeUps } from '../dispatcher/wake-ups.js';
import { dispatchJob, type JobDispatchDependencies } from './dispatch-job.js';

/**
 * The leader's jobs pass: every job, one after another, each fenced by the lease. A job that
 * fails (its image's task definition refused, ECS throttling) is logged and retried on the next
 * pass without holding up the others; being fenced out or losing the lease ends the pass, since
 * a newer leader is acting. The pass ends by arming a precise wake-up for the earliest instant
 * a job needs the leader again, so runs start at their tick, not on the next one-minute tick.
 * It runs on the one-minute tick and on every wake-up.
 */
export function jobsSingletonTask(deps: JobDispatchDependencies & { wakeUps?: WakeUps }): SingletonTask {
  return {
    name: 'jobs',
    onWakeUp: true,
    run: async (lease, now) => {
      const failed: string[] = [];
      let wakeUpAt: number | undefined;
      for (const listed of await deps.jobs.listJobs()) {
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
