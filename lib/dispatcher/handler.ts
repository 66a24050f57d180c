import middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context, DynamoDBStreamEvent, ScheduledEvent, SQSEvent } from 'aws-lambda';
import type { JobStore } from '../aws/job-store.js';
import type { Lease } from '../core/lease/index.js';
import type { LeaderElector } from '../aws/leader-election.js';
import { FencedWriteRejectedError, LeaseLostError } from '../aws/lease-errors.js';
import { parseWakeUpMessage } from '../aws/wake-up-queue.js';
import type { Clock } from '../clock.js';
import { wakeUpAction, type JobsPassTrigger } from '../core/jobs/index.js';
import { isTaskStateChange, recordJobTaskEvent, type TaskStateChangeEvent } from '../jobs/task-events.js';
import type { CorralMetrics } from '../observability/metrics.js';
import { armForChangedJobs, isTableStreamEvent } from './job-changes.js';
import type { WakeUps } from './wake-ups.js';

/** One piece of singleton work the leader does on every tick, fenced by the lease's token. */
export interface SingletonTask {
  name: string;
  /** Also run on a precise wake-up (jobs), not only on the one-minute tick (the sweep is not). */
  onWakeUp?: boolean;
  /** `keepLeading` renews the lease when due (a long task calls it as it goes) and throws LeaseLostError once it is lost. */
  run(lease: Lease, now: number, trigger: PassTrigger, keepLeading: () => Promise<void>): Promise<unknown>;
}

/** What started a leader pass: the one-minute tick (everything) or a precise wake-up (jobs). */
export type PassTrigger = JobsPassTrigger;

export type DispatcherEvent = ScheduledEvent | SQSEvent | TaskStateChangeEvent | DynamoDBStreamEvent;

export type DispatcherHandler = (event: DispatcherEvent, context: Context) => Promise<{ led: boolean }>;

export interface DispatcherDependencies {
  /** Contends on the one-minute tick. */
  elector: LeaderElector;
  /**
   * Contends on wake-ups, with its own holder identity, trying afresh on every retry
   * (`waitOutObservedLease: false`): the lease it finds held is one pass's, released when it ends.
   */
  wakeUpElector: LeaderElector;
  tasks: SingletonTask[];
  jobs: JobStore;
  wakeUps: WakeUps;
  clock: Clock;
  /** Waits on the clock (a woken dispatcher sleeps the last second or two before acting). */
  sleep(ms: number): Promise<void>;
  logger: Logger;
  metrics: CorralMetrics;
  /** X-Ray, in Lambda only (functions/dispatcher); local mode and tests run without. */
  tracer?: Tracer;
}

/**
 * The dispatcher Lambda, on three triggers:
 * - the one-minute schedule: every invocation contends for the `dispatcher` lease and only the
 *   leader works — the scheduled jobs and the full sweep with orphan collection;
 * - precise wake-ups (lib/core/jobs/wake-up.ts): the same contest, the jobs pass only;
 * - ECS task state changes of job tasks: the run's outcome is recorded at once (no lease: it
 *   records a fact, lib/jobs/task-events.ts);
 * - job spec changes on the table stream: a wake-up is armed for the job's next tick, which may
 *   come before the next one-minute pass (no lease either, job-changes.ts).
 * EventBridge may deliver a tick twice and Lambda may run two at once; the lease (and the
 * fencing of each write) makes that one run. The leader gives the lease up when its pass ends,
 * so a wake-up moments later is not kept waiting for it to expire.
 */
export function createDispatcherHandler(deps: DispatcherDependencies): DispatcherHandler {
  const handle = async (event: DispatcherEvent): Promise<{ led: boolean }> => {
    if (isTaskStateChange(event)) {
      await recordJobTaskEvent(deps.jobs, event, deps.clock.now(), deps.metrics);
      return { led: false };
    }
    if (isTableStreamEvent(event)) {
      await armForChangedJobs(deps, event);
      return { led: false };
    }
    if ('Records' in event) {
      let led = false;
      for (const record of event.Records) led = (await wakeUp(record.body)) || led;
      return { led };
    }
    return { led: await lead(deps.elector, deps.tasks, { kind: 'tick' }) };
  };

  const wakeUp = async (body: string): Promise<boolean> => {
    const message = parseWakeUpMessage(body);
    if (message === undefined) {
      deps.logger.warn('ignored a wake-up message that does not parse', { body: body.slice(0, 200) });
      return false;
    }
    const at = message.wakeUpAt;
    const action = wakeUpAction(at, await deps.jobs.armedWakeUp(), deps.clock.now());
    if (action.kind === 'stale') return false;
    if (action.kind === 'rearm') {
      await deps.wakeUps.rearm(message, deps.clock.now());
      return false;
    }
    if (action.sleepMs > 0) await deps.sleep(action.sleepMs);
    const trigger: PassTrigger = { kind: 'wake-up', at, owedFrom: message.owedFrom ?? at };
    const led = await lead(deps.wakeUpElector, deps.tasks.filter((task) => task.onWakeUp), trigger);
    if (!led && !(await deps.wakeUps.retry(message, deps.clock.now()))) {
      deps.logger.warn('wake-up found the lease held for too long; the one-minute tick takes over', { wakeUpAt: new Date(at).toISOString() });
    }
    return led;
  };

  const lead = async (elector: LeaderElector, tasks: SingletonTask[], trigger: PassTrigger): Promise<boolean> => {
    try {
      const outcome = await elector.runIfLeader(deps.clock.now(), async (lease) => {
        // The lease lasts 15 s: a task that runs longer (a large fleet's sweep) renews it as it goes.
        const keepLeading = async () => {
          if (!(await elector.tryAcquireOrRenew(deps.clock.now())) || elector.lease?.token !== lease.token) throw new LeaseLostError(lease, elector.lease);
        };
        for (const task of tasks) {
          try {
            await task.run(lease, deps.clock.now(), trigger, keepLeading);
          } catch (error) {
            // Fenced out or lease lost: stop acting as leader at once (runIfLeader forgets the lease).
            if (error instanceof FencedWriteRejectedError || error instanceof LeaseLostError) throw error;
            deps.logger.error('singleton task failed', { task: task.name, errorName: (error as Error).name, errorMessage: (error as Error).message });
          }
        }
      });
      if (outcome.led) await elector.release().catch((error: Error) => deps.logger.warn('could not release the lease', { errorName: error.name, errorMessage: error.message }));
      return outcome.led;
    } catch (error) {
      if (!(error instanceof FencedWriteRejectedError || error instanceof LeaseLostError)) throw error;
      deps.metrics.add(error instanceof LeaseLostError ? 'LeaseLost' : 'FencedWriteRejected', 1);
      deps.logger.warn('lost leadership during the tick', { errorName: error.name, errorMessage: error.message });
      return false;
    }
  };

  const chain = middy<DispatcherEvent, { led: boolean }>();
  if (deps.tracer) chain.use(captureLambdaHandler(deps.tracer));
  return chain
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .use(logMetrics(deps.metrics.powertools))
    .handler(handle) as unknown as DispatcherHandler;
}
