import middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { Lease } from '../core/lease/index.js';
import type { LeaderElector } from '../aws/leader-election.js';
import { FencedWriteRejectedError, LeaseLostError } from '../aws/lease-errors.js';
import type { Clock } from '../clock.js';

/** One piece of singleton work the leader does on every tick, fenced by the lease's token. */
export interface SingletonTask {
  name: string;
  run(lease: Lease, now: number): Promise<unknown>;
}

export type DispatcherHandler = (event: ScheduledEvent, context: Context) => Promise<{ led: boolean }>;

/**
 * The dispatcher Lambda, on a one-minute schedule: every invocation contends for the
 * `dispatcher` lease and only the leader works — the full sweep with orphan collection, and
 * the scheduled jobs. EventBridge may deliver a tick twice and Lambda may run two at once;
 * the lease (and the fencing of each write) makes that one run.
 */
export function createDispatcherHandler(deps: {
  elector: LeaderElector;
  tasks: SingletonTask[];
  clock: Clock;
  logger: Logger;
}): DispatcherHandler {
  const handle = async (): Promise<{ led: boolean }> => {
    try {
      return { led: await lead() };
    } catch (error) {
      if (!(error instanceof FencedWriteRejectedError || error instanceof LeaseLostError)) throw error;
      deps.logger.warn('lost leadership during the tick', { errorName: error.name, errorMessage: error.message });
      return { led: false };
    }
  };
  const lead = async (): Promise<boolean> => {
    const outcome = await deps.elector.runIfLeader(deps.clock.now(), async (lease) => {
      for (const task of deps.tasks) {
        try {
          await task.run(lease, deps.clock.now());
        } catch (error) {
          // Fenced out or lease lost: stop acting as leader at once (runIfLeader forgets the lease).
          if (error instanceof FencedWriteRejectedError || error instanceof LeaseLostError) throw error;
          deps.logger.error('singleton task failed', { task: task.name, errorName: (error as Error).name, errorMessage: (error as Error).message });
        }
      }
    });
    return outcome.led;
  };
  return middy<ScheduledEvent, { led: boolean }>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .handler(handle) as unknown as DispatcherHandler;
}
