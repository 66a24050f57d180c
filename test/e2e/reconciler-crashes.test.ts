import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileService } from '../../lib/reconciler/runner.js';
import { call } from '../support/http.js';
import { isKilled, killableReconciler, reconcileUntil } from '../support/killable-reconciler.js';
import { getService, startTestRuntime, TaskWatcher, type TestRuntime } from '../support/local-mode.js';

/** Reconciles with healthy reconcilers until the service is Available (or gives up). */
function converge(rt: TestRuntime, name: string, revision: number): Promise<boolean> {
  return reconcileUntil(rt, name, async () => {
    const { status } = await getService(rt, name);
    return status.phase === 'Available' && status.revision === revision;
  });
}

/**
 * One reconcile killed after `killAfter` AWS calls, then healthy reconciles once its lease has
 * expired. Answers whether the killed one got to finish (it made fewer calls than that).
 */
async function killThenConverge(rt: TestRuntime, name: string, killAfter: number, revision: number): Promise<boolean> {
  const killable = killableReconciler(rt, killAfter, `doomed-${killAfter}`);
  let finished = false;
  try {
    await reconcileService(killable.deps, name);
    finished = true;
  } catch (error) {
    expect(isKilled(error)).toBe(true);
  } finally {
    killable.close();
  }
  // The dead reconciler never released its lease: the next one waits for it to expire.
  await rt.run(61_000);
  expect(await converge(rt, name, revision)).toBe(true);
  return finished;
}

describe('a reconciler killed after each single AWS call in turn', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ reconcile: false });
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('still converges with no extra task, from creation', async () => {
    const replicas = 3;
    let completedAt: number | undefined;
    for (let killAfter = 1; completedAt === undefined && killAfter < 60; killAfter++) {
      const name = `create-${killAfter}`;
      rt.watcher.onChange((tasks) => {
        const live = TaskWatcher.notStopped(tasks, name).filter((t) => t.desiredStatus === 'RUNNING');
        if (live.length > replicas) throw new Error(`${name}: ${live.length} live tasks for ${replicas} replicas`);
      });
      await call(rt.apiUrl, 'PUT', `/services/${name}`, { image: 'nginx:1', replicas, rollout: { minHealthySeconds: 0 } });
      if (await killThenConverge(rt, name, killAfter, 1)) completedAt = killAfter;
      expect(await rt.liveTasks(name)).toHaveLength(replicas);
    }
    expect(completedAt).toBeGreaterThan(5);
    expect(rt.watcher.violations).toEqual([]);
  });

  it('never breaks the rollout bounds, and finishes the rollout', async () => {
    const replicas = 4;
    let completedAt: number | undefined;
    for (let killAfter = 1; completedAt === undefined && killAfter < 60; killAfter++) {
      const name = `roll-${killAfter}`;
      const spec = { image: 'app:1', replicas, rollout: { minHealthySeconds: 0, maxSurge: 1, maxUnavailable: 0 } };
      await call(rt.apiUrl, 'PUT', `/services/${name}`, spec);
      expect(await converge(rt, name, 1)).toBe(true);
      rt.watcher.onChange((tasks) => {
        const notStopped = TaskWatcher.notStopped(tasks, name).length;
        const running = TaskWatcher.running(tasks, name).length;
        if (notStopped > replicas + 1) throw new Error(`${name}: ${notStopped} tasks above the surge bound`);
        if (running < replicas) throw new Error(`${name}: ${running} running, below the floor of ${replicas}`);
      });
      await call(rt.apiUrl, 'PUT', `/services/${name}`, { ...spec, image: 'app:2' });
      if (await killThenConverge(rt, name, killAfter, 2)) completedAt = killAfter;
      expect(await rt.liveTasks(name)).toHaveLength(replicas);
    }
    expect(completedAt).toBeGreaterThan(5);
    expect(rt.watcher.violations).toEqual([]);
  });

  // RunTask's client token makes a retry of the same plan launch nothing; a plan made from a
  // different spec gets a new token. The next holder must count the dead one's tasks itself.
  it('counts the tasks of a reconciler that died between RunTask and its commit, after a spec change', async () => {
    const name = 'unrecorded';
    await call(rt.apiUrl, 'PUT', `/services/${name}`, { image: 'nginx:1', replicas: 2, rollout: { minHealthySeconds: 0 } });
    expect(await converge(rt, name, 1)).toBe(true);
    await call(rt.apiUrl, 'POST', `/services/${name}/scale`, { replicas: 4 });
    // Kill after one more call each time, until a reconcile dies right after its RunTask.
    let killAfter = 1;
    for (; (await rt.liveTasks(name)).length === 2; killAfter++) {
      expect(killAfter).toBeLessThan(30);
      const killable = killableReconciler(rt, killAfter, `dies-${killAfter}`);
      await expect(reconcileService(killable.deps, name)).rejects.toSatisfy(isKilled);
      killable.close();
      await rt.run(61_000);
    }
    expect(await rt.liveTasks(name)).toHaveLength(4);
    expect((await getService(rt, name)).status.counts.desired).toBe(2);

    rt.watcher.onChange((tasks) => {
      const live = TaskWatcher.notStopped(tasks, name).filter((t) => t.desiredStatus === 'RUNNING').length;
      if (live > 5) throw new Error(`${name}: ${live} live tasks for 5 replicas`);
    });
    await call(rt.apiUrl, 'POST', `/services/${name}/scale`, { replicas: 5 });
    expect(await converge(rt, name, 1)).toBe(true);
    expect(await rt.liveTasks(name)).toHaveLength(5);
    expect(rt.watcher.violations).toEqual([]);
  });
});
