import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { events, getService, startTestRuntime, type TestRuntime } from '../support/local-mode.js';

const healthCheck = { command: ['CMD-SHELL', 'curl -f localhost/health'], intervalSeconds: 5, retries: 2, timeoutSeconds: 2 };

describe('rolling updates in local mode', () => {
  let rt: TestRuntime;
  afterEach(async () => {
    await rt?.close();
  });


  async function deployed(name: string, spec: Record<string, unknown>) {
    await call(rt.apiUrl, 'PUT', `/services/${name}`, spec);
    expect(await rt.until(async () => (await getService(rt, name)).status.phase === 'Available', 5 * 60_000)).toBe(true);
  }

  const phase = async (name: string) => (await getService(rt, name)).status.phase;

  it('rolls 6 replicas to a new image within maxSurge 2 / maxUnavailable 0', async () => {
    rt = await startTestRuntime();
    const spec = { image: 'shop:1', replicas: 6, healthCheck, rollout: { maxSurge: 2, maxUnavailable: 0, minHealthySeconds: 10 } };
    await deployed('shop', spec);
    rt.watcher.guardBounds('shop', 8, 6);
    await call(rt.apiUrl, 'PUT', '/services/shop', { ...spec, image: 'shop:2' });
    const seen = new Set<string>();
    expect(await rt.until(async () => {
      const s = (await getService(rt, 'shop')).status;
      seen.add(s.phase);
      return s.phase === 'Available' && s.revision === 2;
    }, 10 * 60_000)).toBe(true);
    expect(seen).toContain('Progressing');
    expect(rt.watcher.violations).toEqual([]);
    const live = await rt.liveTasks('shop');
    expect(live).toHaveLength(6);
    expect(live.every((t) => t.revision === 2)).toBe(true);
    const status = (await getService(rt, 'shop')).status;
    expect(status).toMatchObject({ revision: 2, stableRevision: 2, counts: { desired: 6, updated: 6, available: 6 } });
    expect((await events(rt, 'shop')).map((e) => e.type)).toEqual(expect.arrayContaining(['RolloutStarted', 'RolloutCompleted']));
  });

  it('fails an unhealthy revision and rolls back without dropping below the floor', async () => {
    rt = await startTestRuntime();
    const spec = { image: 'pay:1', replicas: 4, healthCheck, rollout: { maxSurge: 1, maxUnavailable: 0, minHealthySeconds: 5, progressDeadlineSeconds: 120 } };
    await deployed('pay', spec);
    rt.watcher.guardBounds('pay', 5, 4);
    await rt.setImage({ image: 'pay:2', behavior: 'unhealthy' });
    await call(rt.apiUrl, 'PUT', '/services/pay', { ...spec, image: 'pay:2' });
    expect(await rt.until(async () => (await phase('pay')) === 'RolledBack', 15 * 60_000)).toBe(true);
    // Failed, then RolledBack once the stable revision is fully available again.
    const history = await events(rt, 'pay');
    const failedAt = history.find((e) => e.type === 'RolloutFailed')?.time;
    const rolledBackAt = history.find((e) => e.type === 'RolledBack')?.time;
    expect(failedAt).toBeDefined();
    expect(rolledBackAt! >= failedAt!).toBe(true);
    const status = (await getService(rt, 'pay')).status;
    expect(status).toMatchObject({ revision: 1, stableRevision: 1, targetRevision: 2 });
    expect(status.message).toMatch(/revision 2 failed/);
    expect(rt.watcher.violations).toEqual([]);
    expect((await rt.liveTasks('pay')).every((t) => t.revision === 1)).toBe(true);
  });

  it('trips the circuit breaker on a crashing image before the progress deadline', async () => {
    rt = await startTestRuntime();
    const spec = { image: 'api:1', replicas: 6, rollout: { maxSurge: 3, maxUnavailable: 0, minHealthySeconds: 30, progressDeadlineSeconds: 3600 } };
    await deployed('api', spec);
    await rt.setImage({ image: 'api:2', behavior: 'crash', afterSeconds: 5, exitCode: 1 });
    const started = rt.clock.now();
    await call(rt.apiUrl, 'PUT', '/services/api', { ...spec, image: 'api:2' });
    expect(await rt.until(async () => ['Failed', 'RolledBack'].includes(await phase('api')), 30 * 60_000)).toBe(true);
    expect(rt.clock.now() - started).toBeLessThan(3600_000);
    const failed = (await events(rt, 'api')).find((e) => e.type === 'RolloutFailed');
    expect(failed?.message).toMatch(/3 tasks failed|circuit|threshold/i);
  });

  it('holds a paused rollout and finishes it on resume', async () => {
    rt = await startTestRuntime();
    const spec = { image: 'web:1', replicas: 4, healthCheck, rollout: { maxSurge: 1, maxUnavailable: 0, minHealthySeconds: 20 } };
    await deployed('web', spec);
    await call(rt.apiUrl, 'PUT', '/services/web', { ...spec, image: 'web:2' });
    expect(await rt.until(async () => (await rt.liveTasks('web')).some((t) => t.revision === 2), 60_000)).toBe(true);
    await call(rt.apiUrl, 'POST', '/services/web/pause');
    await rt.run(5_000);
    const held = (await rt.tasks('web')).map((t) => `${t.taskArn}:${t.desiredStatus}`).sort();
    await rt.run(10 * 60_000);
    expect((await rt.tasks('web')).map((t) => `${t.taskArn}:${t.desiredStatus}`).sort()).toEqual(held);
    expect(await phase('web')).toBe('Paused');
    await call(rt.apiUrl, 'POST', '/services/web/resume');
    expect(await rt.until(async () => {
      const s = (await getService(rt, 'web')).status;
      return s.phase === 'Available' && s.revision === 2;
    }, 10 * 60_000)).toBe(true);
  });

  it('rolls back to a given revision as a new generation', async () => {
    rt = await startTestRuntime();
    const spec = { image: 'cart:1', replicas: 2, rollout: { minHealthySeconds: 0 } };
    await deployed('cart', spec);
    for (const image of ['cart:2', 'cart:3']) {
      await call(rt.apiUrl, 'PUT', '/services/cart', { ...spec, image });
      expect(await rt.until(async () => (await getService(rt, 'cart')).status.stableRevision === Number(image.at(-1)), 5 * 60_000)).toBe(true);
    }
    const before = await getService(rt, 'cart');
    const rolled = await call(rt.apiUrl, 'POST', '/services/cart/rollback', { revision: 1 });
    expect(rolled.status).toBe(200);
    expect(rolled.body).toMatchObject({ generation: before.generation + 1, spec: { image: 'cart:1' } });
    expect(await rt.until(async () => {
      const s = (await getService(rt, 'cart')).status;
      return s.phase === 'Available' && s.revision === 1;
    }, 5 * 60_000)).toBe(true);
    expect((await rt.liveTasks('cart')).every((t) => t.revision === 1)).toBe(true);
    const undo = await call(rt.apiUrl, 'POST', '/services/cart/rollback');
    expect(undo.status).toBe(200);
    expect(undo.body.spec.image).toBe('cart:3');
  });

  it('keeps only revisionHistoryLimit revisions to roll back to', async () => {
    rt = await startTestRuntime();
    const spec = { image: 'app:1', replicas: 1, revisionHistoryLimit: 2, rollout: { minHealthySeconds: 0 } };
    await deployed('app', spec);
    for (const version of [2, 3, 4]) {
      await call(rt.apiUrl, 'PUT', '/services/app', { ...spec, image: `app:${version}` });
      expect(await rt.until(async () => (await getService(rt, 'app')).status.stableRevision === version, 5 * 60_000)).toBe(true);
    }
    const pruned = await call(rt.apiUrl, 'POST', '/services/app/rollback', { revision: 1 });
    expect(pruned.status).toBe(400);
    expect(pruned.body.error.details[0]).toMatchObject({ field: 'revision' });
    expect(pruned.body.error.details[0].message).toContain('kept revisions: 3, 4');
    expect((await call(rt.apiUrl, 'POST', '/services/app/rollback', { revision: 3 })).status).toBe(200);
  });
});
