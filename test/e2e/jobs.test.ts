import { DescribeTasksCommand, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobStore } from '../../lib/aws/job-store.js';
import { FencedWriteRejectedError } from '../../lib/aws/lease-errors.js';
import { jobTagKey } from '../../lib/core/task-definition.js';
import { dispatchJob, type JobDispatchDependencies } from '../../lib/jobs/dispatch-job.js';
import { jobTaskDefinition } from '../../lib/jobs/job-task-definition.js';
import { jobRunClientToken } from '../../lib/jobs/run-token.js';
import { startLocalRuntime, zeroDelays, type LocalRuntime } from '../../lib/local/runtime.js';
import type { VirtualClock } from '../../lib/local/virtual-clock.js';
import { call } from '../support/http.js';

const minute = 60_000;

describe('scheduled jobs in local mode, three dispatchers contending', () => {
  let runtime: LocalRuntime;
  let clock: VirtualClock;
  let api: string;
  /** When the dispatchers' one-minute schedule started: they fire at whole minutes from here. */
  let scheduleStart: number;

  beforeAll(async () => {
    runtime = await startLocalRuntime({ apiPort: 0, awsPort: 0, virtualTime: true, delays: zeroDelays, dispatchers: 3 });
    clock = runtime.clock as VirtualClock;
    scheduleStart = clock.now();
    api = runtime.apiUrl;
  });

  afterAll(async () => {
    await runtime?.close();
  });

  async function imageBehaves(image: string, behavior: string, extra: { afterSeconds?: number; exitCode?: number } = {}): Promise<void> {
    const response = await call(runtime.awsUrl, 'POST', '/_corral/images', { image, behavior, ...extra });
    expect(response.status).toBe(200);
  }

  /** Every task ECS knows for the job, RUNNING and STOPPED, as ListTasks and DescribeTasks show them. */
  async function jobTasks(name: string): Promise<Task[]> {
    const arns: string[] = [];
    for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
      const out = await runtime.clients.ecs.send(new ListTasksCommand({ cluster: runtime.clusterName, startedBy: `corral-job/${name}`, desiredStatus }));
      arns.push(...(out.taskArns ?? []));
    }
    if (arns.length === 0) return [];
    const described = await runtime.clients.ecs.send(new DescribeTasksCommand({ cluster: runtime.clusterName, tasks: [...new Set(arns)] }));
    return described.tasks ?? [];
  }

  async function job(name: string): Promise<any> {
    const response = await call(api, 'GET', `/jobs/${name}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  /**
   * Creates a job at the instant the dispatchers fire (after they have), so its rate ticks
   * coincide with dispatcher ticks and every run starts at its tick; answers the anchor.
   */
  async function createJob(name: string, spec: Record<string, unknown>): Promise<number> {
    const sinceFiring = (clock.now() - scheduleStart) % minute;
    if (sinceFiring > 0) await runtime.bus.runFor(clock, minute - sinceFiring);
    const created = await call(api, 'PUT', `/jobs/${name}`, spec);
    expect(created.status).toBe(201);
    return clock.now();
  }

  it('runs a rate(1 minute) job exactly once per tick', async () => {
    await imageBehaves('tick:*', 'exit', { afterSeconds: 20 });
    const anchor = await createJob('every-minute', { image: 'tick:1', schedule: 'rate(1 minute)' });
    await runtime.bus.runFor(clock, 5 * minute + 30_000);

    const ticks = Math.floor((clock.now() - anchor) / minute);
    expect(ticks).toBe(5);
    const tasks = await jobTasks('every-minute');
    expect(tasks).toHaveLength(ticks);
    const body = await job('every-minute');
    const runs = body.status.lastRuns;
    expect(runs.map((run: any) => Date.parse(run.tick) - anchor)).toEqual([5, 4, 3, 2, 1].map((k) => k * minute));
    expect(new Set(runs.map((run: any) => run.taskArn))).toEqual(new Set(tasks.map((task) => task.taskArn)));
    // Each run exited after 20 s, recorded from the task's state change as it happened.
    expect(runs.map((run: any) => [run.status, run.exitCode, run.durationSeconds, run.latenessSeconds])).toEqual(Array(5).fill(['Succeeded', 0, 20, 0]));
    expect(body.status).toMatchObject({ activeRuns: 0, lastScheduledTick: runs[0].tick, nextRunAt: new Date(anchor + 6 * minute).toISOString(), timeZone: 'UTC' });
    expect(tasks.every((task) => task.tags === undefined || task.tags.length === 0 || task.tags.some((t) => t.key === 'corral:job' && t.value === 'every-minute'))).toBe(true);

    expect((await call(api, 'DELETE', '/jobs/every-minute')).status).toBe(202);
    await runtime.bus.runFor(clock, minute);
    expect((await call(api, 'GET', '/jobs/every-minute')).status).toBe(404);
    expect(await jobTasks('every-minute')).toHaveLength(ticks);
  });

  it('starts one task for a tick when two leaders overlap, and refuses the superseded one afterwards', async () => {
    const anchor = await createJob('contended', { image: 'forever-c:1', schedule: 'rate(10 minutes)' });
    const deps: JobDispatchDependencies = {
      jobs: new JobStore(runtime.clients.documents, runtime.tableName, clock),
      runtime: runtime.reconcilerDeps.runtime,
      taskDefinitions: runtime.reconcilerDeps.taskDefinitions,
      logger: runtime.reconcilerDeps.logger,
      metrics: runtime.reconcilerDeps.metrics,
    };
    // Driven directly with `now` at the tick, before any scheduled dispatcher gets there: a
    // leader that paused past its lease and its successor dispatch the same tick at once.
    const tick = anchor + 10 * minute;
    const leases = runtime.reconcilerDeps.leases;
    const paused = await leases.acquire('dispatcher', 'paused', clock.now(), { leaseDurationMs: 15_000 });
    const successor = await leases.acquire('dispatcher', 'successor', clock.now() + 20_000, { leaseDurationMs: 15_000 });
    expect(successor.token).toBe(paused.token + 1);
    const job = (await deps.jobs.getJob('contended'))!;
    const outcomes = await Promise.allSettled([dispatchJob(deps, paused, job, tick), dispatchJob(deps, successor, job, tick)]);
    const started = outcomes.filter((o) => o.status === 'fulfilled' && o.value.started === tick);
    expect(started).toHaveLength(1);
    for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(FencedWriteRejectedError);
    expect(await jobTasks('contended')).toHaveLength(1);

    // The successor has written the job's items; the former leader, waking at the next tick, is refused.
    await dispatchJob(deps, successor, job, tick + 1);
    await expect(dispatchJob(deps, paused, job, tick + 10 * minute)).rejects.toBeInstanceOf(FencedWriteRejectedError);
    expect(await jobTasks('contended')).toHaveLength(1);
    expect((await deps.jobs.listRuns('contended')).map((run) => run.tick)).toEqual([tick]);

    await dispatchJob(deps, successor, (await deps.jobs.markDeleting('contended')), tick + 2);
    expect(await deps.jobs.getJob('contended')).toBeUndefined();
    await leases.release(successor);
  });

  it('finishes the launch of a dispatcher that died after RunTask without starting a second task', async () => {
    const anchor = await createJob('retried', { image: 'forever-x:1', schedule: 'rate(10 minutes)' });
    const tick = anchor + 10 * minute;
    await runtime.bus.runFor(clock, 10 * minute - 1);
    // A leader records the 10-minute run and calls RunTask, then dies before noting the task.
    const jobs = new JobStore(runtime.clients.documents, runtime.tableName, clock);
    const lease = (await runtime.reconcilerDeps.leases.read('dispatcher'))!;
    const record = (await jobs.getJob('retried'))!;
    const taskDefinitionArn = await runtime.reconcilerDeps.runtime.registerTaskDefinition(jobTaskDefinition(record, runtime.reconcilerDeps.taskDefinitions));
    expect(await jobs.recordRun(lease, 'retried', { tick, status: 'Pending', generation: 1, taskDefinitionArn, recordedAt: clock.now() })).toBe('recorded');
    const first = await runtime.reconcilerDeps.runtime.runTasks({
      taskDefinitionArn, count: 1, startedBy: 'corral-job/retried', clientToken: jobRunClientToken('retried', tick), tags: { [jobTagKey]: 'retried' },
    });

    await runtime.bus.runFor(clock, 2 * minute);
    const tasks = await jobTasks('retried');
    expect(tasks.map((task) => task.taskArn)).toEqual([first.tasks[0].taskArn]);
    const runs = (await job('retried')).status.lastRuns;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ tick: new Date(tick).toISOString(), status: 'Running', taskArn: first.tasks[0].taskArn });
    await call(api, 'DELETE', '/jobs/retried');
  });

  it('Forbid skips ticks while a long run is active, and DELETE stops the run', async () => {
    const anchor = await createJob('forbidden', { image: 'forever-f:1', schedule: 'rate(1 minute)' });
    await runtime.bus.runFor(clock, 3 * minute + 30_000);

    const tasks = await jobTasks('forbidden');
    expect(tasks).toHaveLength(1);
    expect(tasks[0].lastStatus).toBe('RUNNING');
    const body = await job('forbidden');
    expect(body.spec.concurrencyPolicy).toBe('Forbid');
    expect(body.status.activeRuns).toBe(1);
    expect(body.status.lastRuns.map((run: any) => [Date.parse(run.tick) - anchor, run.status])).toEqual([
      [3 * minute, 'Skipped'],
      [2 * minute, 'Skipped'],
      [minute, 'Running'],
    ]);
    expect(body.status.lastRuns[0].stoppedReason).toContain('concurrencyPolicy Forbid');

    const deleted = await call(api, 'DELETE', '/jobs/forbidden');
    expect(deleted.status).toBe(202);
    expect(deleted.body.status.deleting).toBe(true);
    await runtime.bus.runFor(clock, minute);
    expect((await call(api, 'GET', '/jobs/forbidden')).status).toBe(404);
    const [stopped] = await jobTasks('forbidden');
    expect(stopped.desiredStatus).toBe('STOPPED');
    expect(stopped.stoppedReason).toContain('deleted');
  });

  it('Replace stops the active run and starts the new one', async () => {
    await createJob('replaced', { image: 'forever-r:1', schedule: 'rate(1 minute)', concurrencyPolicy: 'Replace' });
    await runtime.bus.runFor(clock, 3 * minute + 30_000);

    const tasks = await jobTasks('replaced');
    expect(tasks).toHaveLength(3);
    const running = tasks.filter((task) => task.desiredStatus === 'RUNNING');
    expect(running).toHaveLength(1);
    for (const task of tasks.filter((t) => t.desiredStatus === 'STOPPED')) expect(task.stoppedReason).toContain('concurrencyPolicy Replace');
    const runs = (await job('replaced')).status.lastRuns;
    // The newest run's task is RUNNING in ECS, and its record says so at once.
    expect(runs.map((run: any) => run.status)).toEqual(['Running', 'Replaced', 'Replaced']);
    expect(runs[0].taskArn).toBe(running[0].taskArn);
    expect(runs[2]).toMatchObject({ durationSeconds: 60 });
    await call(api, 'DELETE', '/jobs/replaced');
  });

  it('stops a run that exceeds timeoutSeconds and records it as TimedOut', async () => {
    const anchor = await createJob('slowpoke', { image: 'forever-t:1', schedule: 'rate(10 minutes)', timeoutSeconds: 90 });
    await runtime.bus.runFor(clock, 13 * minute + 30_000);

    const [task] = await jobTasks('slowpoke');
    expect(task.lastStatus).toBe('STOPPED');
    expect(task.stoppedReason).toContain('timeoutSeconds (90)');
    const [run] = (await job('slowpoke')).status.lastRuns;
    // Started at the 10-minute tick; a wake-up at 11:30 stopped it the moment its 90 s were up.
    expect(run).toMatchObject({ tick: new Date(anchor + 10 * minute).toISOString(), status: 'TimedOut', taskArn: task.taskArn });
    expect(run.durationSeconds).toBe(90);
    await call(api, 'DELETE', '/jobs/slowpoke');
  });

  it("shows a crashing job's exit code and stopped reason", async () => {
    await imageBehaves('crasher:1', 'crash', { afterSeconds: 5, exitCode: 3 });
    await createJob('crasher', { image: 'crasher:1', schedule: 'rate(10 minutes)' });
    await runtime.bus.runFor(clock, 11 * minute + 30_000);

    const body = await job('crasher');
    expect(body.status.lastRuns).toHaveLength(1);
    expect(body.status.lastRuns[0]).toMatchObject({ status: 'Failed', exitCode: 3, durationSeconds: 5, stoppedReason: 'Essential container in task exited' });
    expect(body.status.activeRuns).toBe(0);
    await call(api, 'DELETE', '/jobs/crasher');
  });

  it('refuses bad job specs and names with 400 and field paths, and keeps the rest of the contract', async () => {
    const bad = await call(api, 'PUT', '/jobs/broken', { image: 'x:1', schedule: 'rate(1 minutes)', concurrencyPolicy: 'Sometimes', timeoutSeconds: 0, replicas: 2 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('ValidationError');
    const fields = bad.body.error.details.map((d: any) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['concurrencyPolicy', 'timeoutSeconds']));
    expect(fields.some((f: string) => f === 'replicas' || f === '')).toBe(true);
    const badSchedule = await call(api, 'PUT', '/jobs/broken', { image: 'x:1', schedule: 'cron(0 10 * * * *)' });
    expect(badSchedule.status).toBe(400);
    expect(badSchedule.body.error.details.map((d: any) => d.field)).toEqual(['schedule']);
    const badName = await call(api, 'PUT', '/jobs/Not_A_Name', { image: 'x:1', schedule: 'rate(5 minutes)' });
    expect(badName.status).toBe(400);
    expect(badName.body.error.details[0].field).toBe('name');

    expect((await call(api, 'GET', '/jobs/absent')).status).toBe(404);
    expect((await call(api, 'DELETE', '/jobs/absent')).status).toBe(404);
    expect((await call(api, 'PUT', '/jobs/typed', 'image=x', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await call(api, 'PUT', '/jobs/big', { image: 'x:1', schedule: 'rate(5 minutes)', environment: { BIG: 'x'.repeat(70 * 1024) } })).status).toBe(413);

    const created = await call(api, 'PUT', '/jobs/guarded', { image: 'x:1', schedule: 'rate(5 minutes)' });
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ name: 'guarded', generation: 1, spec: { concurrencyPolicy: 'Forbid', cpu: 256, memory: 512 } });
    expect(created.body.status).toMatchObject({ activeRuns: 0, lastRuns: [], nextRunAt: new Date(clock.now() + 5 * minute).toISOString() });
    const stale = await call(api, 'PUT', '/jobs/guarded', { image: 'x:2', schedule: 'rate(5 minutes)' }, { 'If-Match': '"7"' });
    expect(stale.status).toBe(412);
    const replaced = await call(api, 'PUT', '/jobs/guarded', { image: 'x:2', schedule: 'rate(5 minutes)' }, { 'If-Match': '"1"' });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('etag')).toBe('"2"');
    const list = await call(api, 'GET', '/jobs');
    expect(list.body.jobs.map((j: any) => j.name)).toContain('guarded');
  });
});
