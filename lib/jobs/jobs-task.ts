import { FencedWriteRejectedError, LeaseLostError } from '../aws/lease-errors.js';
import type { SingletonTask } from '../dispatcher/handler.js';
import { dispatchJob, type JobDispatchDependencies } from './dispatch-job.js';

/**
 * The leader's jobs pass: every job, one after another, each fenced by the lease. A job that
 * fails (its image's task definition refused, ECS throttling) is logged and retried on the next
 * tick without holding up the others; being fenced out or losing the lease ends the pass, since
 * a newer leader is acting.
 */
export function jobsSingletonTask(deps: JobDispatchDependencies): SingletonTask {
  return {
    name: 'jobs',
    run: async (lease, now) => {
      const failed: string[] = [];
      for (const listed of await deps.jobs.listJobs()) {
        try {
          // The kind index is eventually consistent: act on the spec as it is now (a DELETE
          // or change moments ago included).
          const job = await deps.jobs.getJob(listed.name);
          if (job !== undefined) await dispatchJob(deps, lease, job, now);
        } catch (error) {
          if (error instanceof FencedWriteRejectedError || error instanceof LeaseLostError) throw error;
          failed.push(listed.name);
          deps.logger.warn('could not dispatch a job', { job: listed.name, errorName: (error as Error).name, errorMessage: (error as Error).message });
        }
      }
      return { failed };
    },
  };
}
