import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceRow } from '../../lib/cli/render/views.js';
import { runCorral } from '../cli/run-cli.js';
import { call } from '../support/http.js';
import { events, getService, startTestRuntime, type TestRuntime } from '../support/local-mode.js';

/** What a new user tripped over, as they see it through the API (and the CLI's table row). */
const healthCheck = { command: ['CMD-SHELL', 'curl -f localhost/health'], intervalSeconds: 5, retries: 2, timeoutSeconds: 2 };
const rollout = { maxSurge: 1, maxUnavailable: 0, minHealthySeconds: 5, progressDeadlineSeconds: 120 };
const noPaint = (_: string, text: string) => text;

describe('rollout behaviour a user sees', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime();
    await rt.setImage({ image: 'bad:*', behavior: 'unhealthy' });
  });
  afterAll(async () => {
    await rt?.close();
  });

  const status = async (name: string) => (await getService(rt, name)).status;
  const until = async (name: string, ok: (s: Record<string, any>) => boolean) => expect(await rt.until(async () => ok(await status(name)), 15 * 60_000)).toBe(true);

  /** A service on good:1, then a bad revision 2 that rolls back by itself. */
  async function rolledBack(name: string) {
    const spec = { image: `${name}:1`, replicas: 3, healthCheck, rollout };
    await call(rt.apiUrl, 'PUT', `/services/${name}`, spec);
    await until(name, (s) => s.phase === 'Available');
    await call(rt.apiUrl, 'PUT', `/services/${name}`, { ...spec, image: 'bad:2' });
    await until(name, (s) => s.phase === 'RolledBack');
    return spec;
  }

  it('after an automatic rollback, IMAGE shows what runs and a scale is a fresh rollout that completes', async () => {
    const spec = await rolledBack('shop');
    const service = await getService(rt, 'shop');
    expect(service.spec.image).toBe('bad:2');
    expect(service.status).toMatchObject({ revision: 1, image: 'shop:1' });
    // The CLI's `get services` row: IMAGE is the running revision's image, not the failed spec's.
    expect(serviceRow(service, noPaint as never).at(-1)).toBe('shop:1');

    const scaled = await call(rt.apiUrl, 'POST', '/services/shop/scale', { replicas: 5 });
    const generation = scaled.body.generation;
    const seen = new Set<string>();
    await until('shop', (s) => {
      if (s.observedGeneration >= generation) seen.add(s.phase);
      return s.observedGeneration >= generation && s.phase === 'Available';
    });
    // `rollout status` judges the newest generation: it saw it progress and complete, never fail.
    expect(seen).not.toContain('RolledBack');
    expect(seen).not.toContain('Failed');
    const after = await status('shop');
    expect(after).toMatchObject({ revision: 1, image: 'shop:1', counts: { available: 5 } });
    expect(after.message).toContain('revision 2 failed and stays rolled back');
    expect((await rt.liveTasks('shop')).every((t) => t.revision === 1)).toBe(true);
    void spec;
  });

  it('undo goes to the newest revision that was ever fully available, skipping failed ones, and says which', async () => {
    const spec = await rolledBack('pay');
    // Revision 3 is good and rolls out; revision 2 failed before it.
    await call(rt.apiUrl, 'PUT', '/services/pay', { ...spec, image: 'pay:3' });
    await until('pay', (s) => s.phase === 'Available' && s.revision === 3);

    const undo = await call(rt.apiUrl, 'POST', '/services/pay/rollback', {});
    expect(undo.status).toBe(200);
    expect(undo.body.rollback).toEqual({
      from: 3, to: 1, skipped: [2],
      message: 'Rolling back from revision 3 to revision 1 (skipping revision 2: never fully available)',
    });
    expect(undo.body.spec.image).toBe('pay:1');
    await until('pay', (s) => s.phase === 'Available' && s.revision === 1);
    const history = await events(rt, 'pay');
    expect(history.find((e) => e.type === 'RollbackRequested')?.message).toBe('Rolling back from revision 3 to revision 1 (skipping revision 2: never fully available)');
  });

  it('`corral rollout status` on a paused rollout says so and how to resume, and exits 4; `undo` says where it goes', async () => {
    const spec = { image: 'cart:1', replicas: 3, healthCheck, rollout };
    await call(rt.apiUrl, 'PUT', '/services/cart', spec);
    await until('cart', (s) => s.phase === 'Available');
    await call(rt.apiUrl, 'PUT', '/services/cart', { ...spec, image: 'cart:2' });
    await call(rt.apiUrl, 'POST', '/services/cart/pause');
    const generation = (await getService(rt, 'cart')).generation;
    await until('cart', (s) => s.phase === 'Paused' && s.observedGeneration >= generation);

    const env = { CORRAL_ENDPOINT: rt.apiUrl, HOME: '/tmp', NO_COLOR: '1' };
    const paused = await runCorral(['rollout', 'status', 'cart', '--timeout', '10m'], env);
    expect(paused.code).toBe(4);
    expect(paused.stdout).toContain('service/cart rollout paused: ');
    expect(paused.stdout).toContain('resume it with: corral rollout resume cart');

    await call(rt.apiUrl, 'POST', '/services/cart/resume');
    await until('cart', (s) => s.phase === 'Available' && s.revision === 2);
    const undo = await runCorral(['rollout', 'undo', 'cart'], env);
    expect(undo.code).toBe(0);
    expect(undo.stdout.trim()).toBe('service/cart: Rolling back from revision 2 to revision 1');
  });

  it('event texts: no doubled words, slots within 1..replicas, no "Scaled up" for a launch that failed', async () => {
    const all = [...(await events(rt, 'shop')), ...(await events(rt, 'pay'))].map((e) => e.message);
    expect(all.length).toBeGreaterThan(5);
    for (const message of all) {
      expect(message).not.toMatch(/\b(\w+) \1\b/i);
      for (const [, slot] of message.matchAll(/slot (\d+)/g)) expect(Number(slot)).toBeGreaterThanOrEqual(1);
    }
    for (const [, slot] of all.join('\n').matchAll(/slot (\d+)/g)) expect(Number(slot)).toBeLessThanOrEqual(5);
    // One "Replacing task" event per replaced task.
    const replaced = all.flatMap((m) => /^Replacing task (\S+)/.exec(m)?.[1] ?? []);
    expect(new Set(replaced).size, all.filter((m) => m.startsWith('Replacing') || m.includes('UNHEALTHY') || m.includes('failed')).join('\n')).toBe(replaced.length);
  });

  it('a launch ECS refuses is recorded as what happened: no "Scaled up", the refusal, a backoff', async () => {
    await rt.setFaults({ runTaskFailure: 1 });
    await call(rt.apiUrl, 'PUT', '/services/big', { image: 'big:1', replicas: 2, rollout: { minHealthySeconds: 0 } });
    await until('big', (s) => typeof s.message === 'string' && s.message.startsWith('Could not start tasks'));
    const refused = (await events(rt, 'big')).map((e) => e.message);
    expect(refused.some((m) => m.startsWith('Scaled up'))).toBe(false);
    expect(refused.filter((m) => m.startsWith('ECS could not start a task of revision 1'))).toHaveLength(2);
    expect((await status('big')).message).toMatch(/backing off$/);

    await rt.setFaults({ runTaskFailure: 0 });
    await until('big', (s) => s.phase === 'Available');
    expect((await events(rt, 'big')).map((e) => e.message)).toContain('Scaled up: started 2 tasks of revision 1');
  });
});
