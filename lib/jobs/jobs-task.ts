import { FencedWriteRejectedError, LeaseLostError } from '../aws/lease-errors.js';
import type { Clock } from '../clock.js';
import type { SingletonTask } from '../dispatcher/handler.js';
import type { WakeUps } from '../dispatcher/wake-ups.js';
import { JobsPass, type DispatchOutcome, type PassJob } from '../core/jobs/index.js';
import type { JobRecord } from '../aws/job-store.js';
import { dispatchJob, type JobDispatchDependencies } from './dispatch-job.js';

export interface JobsTaskDependencies extends JobDispatchDependencies {
  wakeUps?: WakeUps;
  /** Read before every dispatch: a tick that comes due during the pass goes next. */
  clock: Clock;
}

/**
 * The leader's jobs pass, each job fenced by the lease. The order is the pure JobsPass's
 * (lib/core/jobs/jobs-pass.ts), asked again before every dispatch: due jobs first, the longest
 * overdue first, including ticks that come due while the pass runs; then, on the one-minute
 * tick, every other job (outcomes, timeouts, launches left half done), and on a precise wake-up
 * only the jobs whose need the spec cannot show (timeouts, deletions). So a wake-up's pass stays
 * short however many jobs there are, and holds the lease briefly. A job that fails (its image's
 * task definition refused, ECS throttling) is logged and retried on a later pass without holding
 * up the others; being fenced out or losing the lease ends the pass, since a newer leader is
 * acting. The pass ends by arming a precise wake-up for the earliest instant a job needs the
 * leader again.
 */
export function jobsSingletonTask(deps: JobsTaskDependencies): SingletonTask {
  return {
    name: 'jobs',
    onWakeUp: true,
    run: async (lease, now, trigger) => {
      const failed: string[] = [];
      const pass = new JobsPass((await deps.jobs.listJobs()).map(passJob), trigger, now);
      for (let at = deps.clock.now(), name = pass.next(at); name !== undefined; at = deps.clock.now(), name = pass.next(at)) {
        let outcome: DispatchOutcome;
        try {
          // The kind index is eventually consistent: act on the spec as it is now (a DELETE
          // or change moments ago included).
          const job = await deps.jobs.getJob(name);
          outcome = job === undefined ? { removed: true } : await dispatchJob(deps, lease, job, at);
        } catch (error) {
          if (error instanceof FencedWriteRejectedError || error instanceof LeaseLostError) throw error;
          failed.push(name);
          outcome = 'failed';
          deps.logger.warn('could not dispatch a job', { job: name, errorName: (error as Error).name, errorMessage: (error as Error).message });
        }
        pass.dispatched(name, at, outcome);
      }
      const wakeUpAt = pass.wakeUpAt();
      if (wakeUpAt !== undefined && deps.wakeUps !== undefined) {
        try {
          // Sent now, so its delay counts from now, not from the start of the pass.
          await deps.wakeUps.arm(wakeUpAt, deps.clock.now());
        } catch (error) {
          // The one-minute tick still comes; the run may start up to a minute late.
          deps.logger.warn('could not arm the wake-up', { wakeUpAt: new Date(wakeUpAt).toISOString(), errorName: (error as Error).name, errorMessage: (error as Error).message });
        }
      }
      return { failed, wakeUpAt };
    },
  };
}

function passJob(job: JobRecord): PassJob {
  const { schedule, timeZone, timeoutSeconds } = job.spec;
  return { name: job.name, schedule, timeZone, scheduleAnchor: job.scheduleAnchor, deleting: job.deleting, ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }) };
}
