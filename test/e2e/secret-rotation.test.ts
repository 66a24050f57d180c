import { CreateSecretCommand, GetSecretValueCommand, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { getService, startTestRuntime, TaskWatcher, type TestRuntime } from '../support/local-mode.js';

describe('secret rotation restarts its consumers', () => {
  let rt: TestRuntime;
  afterEach(async () => {
    await rt?.close();
  });

  it('rolls both consuming services onto a new revision while the old value stays readable', async () => {
    rt = await startTestRuntime();
    const created = await rt.clients.secrets.send(new CreateSecretCommand({ Name: 'db-password', SecretString: 'old-value-123', Tags: [{ Key: 'corral:managed', Value: 'true' }] }));
    const spec = (image: string) => ({
      image, replicas: 3, secrets: { DB_PASSWORD: 'db-password' },
      rollout: { maxSurge: 1, maxUnavailable: 0, minHealthySeconds: 10 },
    });
    await call(rt.apiUrl, 'PUT', '/services/orders', spec('orders:1'));
    await call(rt.apiUrl, 'PUT', '/services/billing', spec('billing:1'));
    await call(rt.apiUrl, 'PUT', '/services/other', { image: 'other:1', replicas: 1 });
    expect(await rt.until(async () => (await Promise.all(['orders', 'billing'].map((n) => getService(rt, n)))).every((s) => s.status.phase === 'Available'), 120_000)).toBe(true);
    const before = new Map<string, string>();
    for (const name of ['orders', 'billing']) for (const t of await rt.liveTasks(name)) before.set(t.taskArn, t.taskDefinitionArn);

    for (const name of ['orders', 'billing']) {
      rt.watcher.onChange((tasks) => {
        if (TaskWatcher.notStopped(tasks, name).length > 4) throw new Error(`${name} above its surge bound`);
        if (TaskWatcher.running(tasks, name).length < 3) throw new Error(`${name} below its floor`);
      });
    }
    const described = await call(rt.apiUrl, 'GET', '/secrets/db-password');
    expect(described.body.consumers).toEqual(['billing', 'orders']);

    await rt.clients.secrets.send(new RotateSecretCommand({ SecretId: created.ARN, RotationLambdaARN: rt.rotationFunctionArn, RotationRules: { AutomaticallyAfterDays: 30 } }));
    await rt.run(3_000);
    const previous = await rt.clients.secrets.send(new GetSecretValueCommand({ SecretId: 'db-password', VersionStage: 'AWSPREVIOUS' }));
    expect(previous.SecretString).toBe('old-value-123');
    const current = await rt.clients.secrets.send(new GetSecretValueCommand({ SecretId: 'db-password' }));
    expect(current.SecretString).not.toBe('old-value-123');

    expect(await rt.until(async () => (await Promise.all(['orders', 'billing'].map((n) => getService(rt, n))))
      .every((s) => s.status.phase === 'Available' && s.status.revision === 2), 10 * 60_000)).toBe(true);
    expect(rt.watcher.violations).toEqual([]);
    for (const name of ['orders', 'billing']) {
      const live = await rt.liveTasks(name);
      expect(live).toHaveLength(3);
      for (const task of live) {
        expect(before.has(task.taskArn)).toBe(false);
        expect(task.taskDefinitionArn).not.toBe([...before.values()][0]);
        expect(Number(task.taskDefinitionArn.split(':').at(-1))).toBeGreaterThan(1);
      }
      const events = (await call(rt.apiUrl, 'GET', `/services/${name}/events`)).body.events;
      expect(events.map((e: { message: string }) => e.message).join('\n')).toContain('secret db-password rotated');
    }
    expect((await getService(rt, 'other')).status.revision).toBe(1);
    const after = await call(rt.apiUrl, 'GET', '/secrets/db-password');
    expect(after.body).toMatchObject({ name: 'db-password', rotationEnabled: true, consumers: ['billing', 'orders'] });
    expect(after.body.lastRotatedAt).toBeTruthy();
    expect(after.text).not.toContain(current.SecretString!);
  });

  it('rotates on demand through the API', async () => {
    rt = await startTestRuntime();
    await rt.clients.secrets.send(new CreateSecretCommand({ Name: 'api-key', SecretString: 'first-key-value', Tags: [{ Key: 'corral:managed', Value: 'true' }] }));
    await call(rt.apiUrl, 'PUT', '/services/client', { image: 'client:1', replicas: 1, secrets: { API_KEY: 'api-key' }, rollout: { minHealthySeconds: 0 } });
    await rt.until(async () => (await getService(rt, 'client')).status.phase === 'Available', 60_000);
    const rotated = await call(rt.apiUrl, 'POST', '/secrets/api-key/rotate');
    expect(rotated.status).toBe(202);
    expect(await rt.until(async () => {
      const s = (await getService(rt, 'client')).status;
      return s.phase === 'Available' && s.revision === 2;
    }, 5 * 60_000)).toBe(true);
    const value = await rt.clients.secrets.send(new GetSecretValueCommand({ SecretId: 'api-key' }));
    expect(value.SecretString).not.toBe('first-key-value');
    expect((await call(rt.apiUrl, 'GET', '/secrets/nope')).status).toBe(404);
  });
});
