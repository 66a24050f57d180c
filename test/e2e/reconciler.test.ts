import { RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { seededRandom } from '../support/seeded-random.js';
import { events, getService, startTestRuntime, TaskWatcher, type TestRuntime } from '../support/local-mode.js';

describe('reconciler in local mode', () => {
  let rt: TestRuntime;
  afterEach(async () => {
    await rt?.close();
  });

  const create = (name: string, spec: Record<string, unknown>) =>
    call(rt.apiUrl, 'PUT', `/services/${name}`, { rollout: { minHealthySeconds: 0 }, ...spec });

  it('runs 3 replicas, then scales to 5 and to 1', async () => {
    rt = await startTestRuntime();
    expect((await create('web', { image: 'nginx:1', replicas: 3 })).status).toBe(201);
    expect(await rt.until(async () => (await getService(rt, 'web')).status.phase === 'Available', 60_000)).toBe(true);
    expect((await getService(rt, 'web')).status).toMatchObject({ phase: 'Available', counts: { desired: 3, running: 3 } });
    expect((await rt.liveTasks('web')).filter((t) => t.lastStatus === 'RUNNING')).toHaveLength(3);

    await call(rt.apiUrl, 'POST', '/services/web/scale', { replicas: 5 });
    expect(await rt.until(async () => (await rt.liveTasks('web')).length === 5, 60_000)).toBe(true);
    await call(rt.apiUrl, 'POST', '/services/web/scale', { replicas: 1 });
    expect(await rt.until(async () => (await rt.liveTasks('web')).length === 1, 60_000)).toBe(true);
    await rt.run(120_000);
    expect(await rt.liveTasks('web')).toHaveLength(1);
    expect((await getService(rt, 'web')).status).toMatchObject({ phase: 'Available', observedGeneration: 3, counts: { desired: 1, running: 1 } });
  });

  it('replaces a task stopped through the ECS API', async () => {
    rt = await startTestRuntime();
    await create('web', { image: 'nginx:1', replicas: 2 });
    await rt.until(async () => (await rt.liveTasks('web')).length === 2, 60_000);
    const [victim] = await rt.liveTasks('web');
    await rt.clients.ecs.send(new StopTaskCommand({ cluster: 'corral', task: victim.taskArn, reason: 'chaos' }));
    await rt.run(30_000);
    const live = await rt.liveTasks('web');
    expect(live).toHaveLength(2);
    expect(live.map((t) => t.taskArn)).not.toContain(victim.taskArn);
  });

  it('replaces unhealthy tasks with a growing backoff visible in events', async () => {
    rt = await startTestRuntime();
    rt.watcher.onChange((tasks) => {
      const live = TaskWatcher.notStopped(tasks, 'sick').filter((t) => t.desiredStatus === 'RUNNING');
      if (live.length > 1) throw new Error(`${live.length} live tasks for 1 replica`);
    });
    await rt.setImage({ image: 'sick:*', behavior: 'unhealthy' });
    await create('sick', {
      image: 'sick:1', replicas: 1,
      healthCheck: { command: ['CMD-SHELL', 'exit 1'], intervalSeconds: 5, retries: 1, timeoutSeconds: 2 },
    });
    await rt.run(10 * 60_000);
    const backoffs = (await events(rt, 'sick')).filter((e) => e.type === 'BackOff').reverse();
    const waits = backoffs.map((e) => Number(/(\d+) ?s/.exec(e.message)?.[1]));
    expect(waits.length).toBeGreaterThanOrEqual(4);
    expect(waits.slice(0, 4)).toEqual([10, 20, 40, 80]);
    const stopped = (await rt.tasks('sick')).filter((t) => t.lastStatus === 'STOPPED');
    expect(stopped.length).toBeGreaterThanOrEqual(4);
    expect(stopped.length).toBeLessThan(12);
    expect(rt.watcher.violations).toEqual([]);
    expect((await getService(rt, 'sick')).status.message).toMatch(/crash loop.*UNHEALTHY|crash loop.*stopped/);
  });

  it('reports an image pull error in the status without a hot loop', async () => {
    rt = await startTestRuntime();
    await rt.setImage({ image: 'missing:*', behavior: 'pull-error' });
    await create('ghost', { image: 'missing:1', replicas: 2 });
    await rt.run(5 * 60_000);
    const service = await getService(rt, 'ghost');
    expect(service.status.phase).toMatch(/Degraded|Progressing|Failed/);
    expect(service.status.message).toMatch(/CannotPullContainerError/);
    // Backoff 10, 20, 40, 80, 160 s: a handful of attempts in five minutes, not hundreds.
    const attempts = await rt.tasks('ghost');
    expect(attempts.length).toBeGreaterThanOrEqual(4);
    expect(attempts.length).toBeLessThanOrEqual(16);
  });

  it('stops every task on delete, then removes the service', async () => {
    rt = await startTestRuntime();
    await create('doomed', { image: 'nginx:1', replicas: 3 });
    await rt.until(async () => (await rt.liveTasks('doomed')).length === 3, 60_000);
    expect((await call(rt.apiUrl, 'DELETE', '/services/doomed')).status).toBe(202);
    expect(await rt.until(async () => (await call(rt.apiUrl, 'GET', '/services/doomed')).status === 404, 120_000)).toBe(true);
    expect(await rt.liveTasks('doomed')).toHaveLength(0);
  });

  it('starts a service re-created under the name of a deleted one', async () => {
    rt = await startTestRuntime();
    await create('phoenix', { image: 'nginx:1', replicas: 1 });
    await rt.until(async () => (await rt.liveTasks('phoenix')).length === 1, 60_000);
    await call(rt.apiUrl, 'DELETE', '/services/phoenix');
    expect(await rt.until(async () => (await call(rt.apiUrl, 'GET', '/services/phoenix')).status === 404, 120_000)).toBe(true);
    await rt.run(2 * 3_600_000);
    await create('phoenix', { image: 'nginx:1', replicas: 1 });
    expect(await rt.until(async () => (await rt.liveTasks('phoenix')).length === 1, 5 * 60_000)).toBe(true);
  });

  it('stops an orphaned Corral task in the sweep', async () => {
    rt = await startTestRuntime();
    await create('web', { image: 'nginx:1', replicas: 1 });
    await rt.until(async () => (await rt.liveTasks('web')).length === 1, 60_000);
    const [task] = await rt.liveTasks('web');
    const orphan = await rt.clients.ecs.send(new RunTaskCommand({
      cluster: 'corral', taskDefinition: task.taskDefinitionArn, startedBy: 'corral/vanished', count: 1,
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-local'] } },
    }));
    const orphanArn = orphan.tasks![0].taskArn!;
    await rt.run(70_000);
    const stray = (await rt.tasks('vanished')).find((t) => t.taskArn === orphanArn);
    expect(stray?.desiredStatus).toBe('STOPPED');
    expect(stray?.stoppedReason).toMatch(/orphan/);
    expect(await rt.liveTasks('web')).toHaveLength(1);
  });

  it('never runs more than replicas under 10 concurrent reconciles of one service', async () => {
    rt = await startTestRuntime({ reconcile: false });
    const limit = 4;
    rt.watcher.onChange((tasks) => {
      const live = TaskWatcher.notStopped(tasks, 'busy').filter((t) => t.desiredStatus === 'RUNNING');
      if (live.length > limit) throw new Error(`${live.length} live tasks for ${limit} replicas`);
    });
    await create('busy', { image: 'nginx:1', replicas: limit });
    const { reconcileService } = await import('../../lib/reconciler/runner.js');
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 10 }, (_, i) => reconcileService({ ...rt.reconcilerDeps, holder: `r${round}-${i}` }, 'busy')));
      await rt.run(5_000);
    }
    expect(rt.watcher.violations).toEqual([]);
    expect(await rt.liveTasks('busy')).toHaveLength(limit);
  });

  it('converges under 30% ECS throttling', async () => {
    rt = await startTestRuntime({ random: seededRandom(7) });
    await rt.setFaults({ throttle: 0.3 });
    const names = ['web', 'api', 'worker'];
    for (const name of names) await create(name, { image: `${name}:1`, replicas: 4 });
    const available = async () => (await Promise.all(names.map((n) => getService(rt, n)))).every((s) => s.status.phase === 'Available');
    expect(await rt.until(available, 10 * 60_000)).toBe(true);
    expect(rt.aws.stats().throttled).toBeGreaterThan(0);
    await rt.setFaults({ throttle: 0 });
    for (const name of names) expect(await rt.liveTasks(name)).toHaveLength(4);
  });
});
