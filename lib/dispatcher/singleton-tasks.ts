import type { JobStore } from '../aws/job-store.js';
import { jobsSingletonTask } from '../jobs/jobs-task.js';
import type { ReconcilerDependencies } from '../reconciler/reconcile-service.js';
import { sweep } from '../reconciler/sweep.js';
import type { SingletonTask } from './handler.js';

/**
 * What the leader does every tick: the full sweep with orphan collection, then the scheduled
 * jobs (on the reconciler's ECS runtime and task definition settings).
 */
export function singletonTasks(deps: {
  reconciler: Omit<ReconcilerDependencies, 'holder'>;
  holder: string;
  jobs: JobStore;
}): SingletonTask[] {
  return [
    {
      name: 'sweep',
      run: async (lease) => {
        const result = await sweep({ ...deps.reconciler, holder: `${deps.holder}/${lease.token}` });
        for (const failure of result.failed) {
          deps.reconciler.logger.warn('sweep could not reconcile a service', { corralService: failure.service, errorName: failure.error.name, errorMessage: failure.error.message });
        }
        return result;
      },
    },
    jobsSingletonTask({
      jobs: deps.jobs,
      runtime: deps.reconciler.runtime,
      taskDefinitions: deps.reconciler.taskDefinitions,
      logger: deps.reconciler.logger,
    }),
  ];
}
