import type { JobStore } from '../aws/job-store.js';
import type { SweepProgress } from '../aws/sweep-progress.js';
import type { Lease } from '../core/lease/index.js';
import { jobsSingletonTask } from '../jobs/jobs-task.js';
import type { ReconcilerDependencies } from '../reconciler/runner.js';
import { sweep } from '../reconciler/sweep.js';
import type { SingletonTask } from './handler.js';
import type { WakeUps } from './wake-ups.js';

/**
 * What the leader does every tick: the scheduled jobs first (on the reconciler's ECS runtime and
 * task definition settings), since they are due now and cheap, then the full sweep with orphan
 * collection, whose length grows with the fleet.
 */
export function singletonTasks(deps: {
  reconciler: Omit<ReconcilerDependencies, 'holder'>;
  holder: string;
  jobs: JobStore;
  wakeUps: WakeUps;
  /** Where the leader's sweep keeps its position between ticks, written under its lease. */
  sweepProgress: (lease: Lease) => SweepProgress;
}): SingletonTask[] {
  return [
    jobsSingletonTask({
      jobs: deps.jobs,
      runtime: deps.reconciler.runtime,
      taskDefinitions: deps.reconciler.taskDefinitions,
      logger: deps.reconciler.logger,
      metrics: deps.reconciler.metrics,
      wakeUps: deps.wakeUps,
      clock: deps.reconciler.clock,
    }),
    {
      name: 'sweep',
      run: async (lease, _now, _trigger, keepLeading) => {
        const result = await sweep({ ...deps.reconciler, holder: `${deps.holder}/${lease.token}` }, { progress: deps.sweepProgress(lease), keepLeading });
        for (const failure of result.failed) {
          deps.reconciler.logger.warn('sweep could not reconcile a service', { corralService: failure.service, errorName: failure.error.name, errorMessage: failure.error.message });
        }
        return result;
      },
    },
  ];
}
