import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { afterEach, describe, expect, it } from 'vitest';
import { localClientOptions } from '../../lib/aws/clients.js';
import { reconcileService } from '../../lib/reconciler/runner.js';
import { taskEventBatching } from '../../lib/reconciler/triggers.js';
import { runCorral } from '../cli/run-cli.js';
import { call } from '../support/http.js';
import { isKilled, killableReconciler, reconcileUntil } from '../support/killable-reconciler.js';
import { events, getService, startTestRuntime, type TestRuntime } from '../support/local-mode.js';

const healthCheck = { command: ['CMD-SHELL', 'curl -f localhost/health'], intervalSeconds: 5, retries: 2, timeoutSeconds: 2 };
const canarySpec = (image: string, steps: unknown[], extra: Record<string, unknown> = {}) => ({
  image,
  replicas: 4,
  healthCheck,
  rollout: { strategy: 'Canary', steps, maxSurge: 1, maxUnavailable: 0, minHealthySeconds: 5, ...extra },
});

describe('canary rollouts in local mode', () => {
  let rt: TestRuntime;
  afterEach(async () => {
    await rt?.close();
  });

  const status = async (name: string) => (await getService(rt, name)).status;
  const byRevision = async (name: string) => {
    const live = await rt.liveTasks(name);
    return { new: live.filter((t) => t.revision === 2).length, stable: live.filter((t) => t.revision === 1).length };
  };
  async function deployed(name: string, spec: Record<string, unknown>) {
    expect((await call(rt.apiUrl, 'PUT', `/services/${name}`, spec)).status).toBe(201);
    expect(await rt.until(async () => (await status(name)).phase === 'Available', 5 * 60_000)).toBe(true);
  }
  function cloudwatch(): CloudWatchClient {
    return new CloudWatchClient(localClientOptions(rt.awsUrl));
  }
  async function alarm(client: CloudWatchClient, name: string) {
    await client.send(new PutMetricAlarmCommand({
      AlarmName: name, Namespace: 'Shop', MetricName: '5xx', Statistic: 'Sum', Period: 60,
      EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold',
    }));
    await client.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'OK', StateReason: 'quiet' }));
  }

  it('[setWeight 25, pause {}] of 4 holds 1 new + 3 stable until promote, then completes', async () => {
    rt = await startTestRuntime();
    const steps = [{ setWeight: 25 }, { pause: {} }];
    await deployed('web', canarySpec('web:1', steps));
    rt.watcher.guardBounds('web', 5, 4);
    await call(rt.apiUrl, 'PUT', '/services/web', canarySpec('web:2', steps));
    expect(await rt.until(async () => (await status('web')).rollout?.waiting?.kind === 'untilPromoted', 5 * 60_000)).toBe(true);
    const paused = await status('web');
    expect(paused).toMatchObject({ phase: 'Paused', revision: 2, stableRevision: 1, rollout: { step: 1, steps: 2, weight: 25 } });
    expect(paused.message).toMatch(/waiting for promote \(corral rollout promote web/);
    // It holds: ten minutes later (past the progress deadline) still 1 new + 3 stable, nothing failed.
    await rt.run(10 * 60_000);
    expect(await byRevision('web')).toEqual({ new: 1, stable: 3 });
    expect((await status('web')).phase).toBe('Paused');

    // As a user sees it: `rollout status` stops at the pause step (exit 4) and names the command.
    const env = { CORRAL_ENDPOINT: rt.apiUrl, HOME: '/tmp', NO_COLOR: '1' };
    const waiting = await runCorral(['rollout', 'status', 'web', '--timeout', '10m'], env);
    expect(waiting.code).toBe(4);
    expect(waiting.stdout).toContain('service/web rollout paused at a canary step: Canary of revision 2 at step 2 of 2, weight 25% (1 of 4 tasks): waiting for promote (corral rollout promote web');
    const promoted = await runCorral(['rollout', 'promote', 'web'], env);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout.trim()).toBe('service/web promoted to the next step');
    expect(await rt.until(async () => (await status('web')).phase === 'Available', 5 * 60_000)).toBe(true);
    expect(await byRevision('web')).toEqual({ new: 4, stable: 0 });
    expect(rt.watcher.violations).toEqual([]);
    const types = (await events(rt, 'web')).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['CanaryStep', 'CanaryPromoted', 'RolloutCompleted']));
    // Once it is over, there is nothing to promote.
    const late = await call(rt.apiUrl, 'POST', '/services/web/promote', {});
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/no rollout in progress to promote/);
  });

  it('a timed pause moves on by itself on the virtual clock; promote --full skips the rest', async () => {
    rt = await startTestRuntime();
    await deployed('api', canarySpec('api:1', [{ setWeight: 50 }]));
    const steps = [{ setWeight: 50 }, { pause: { seconds: 20 } }, { setWeight: 75 }, { pause: {} }];
    await call(rt.apiUrl, 'PUT', '/services/api', canarySpec('api:2', steps));
    expect(await rt.until(async () => (await status('api')).rollout?.waiting?.kind === 'timed', 5 * 60_000)).toBe(true);
    expect(await byRevision('api')).toEqual({ new: 2, stable: 2 });
    expect(await rt.until(async () => (await status('api')).rollout?.step === 3, 60_000)).toBe(true);
    expect(await byRevision('api')).toEqual({ new: 3, stable: 1 });
    expect((await call(rt.apiUrl, 'POST', '/services/api/promote', { full: true })).status).toBe(200);
    expect(await rt.until(async () => (await status('api')).phase === 'Available', 5 * 60_000)).toBe(true);
    expect(await byRevision('api')).toEqual({ new: 4, stable: 0 });
    const bad = await call(rt.apiUrl, 'POST', '/services/api/promote', { full: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('full');
  });

  it('an alarm set to ALARM mid-canary rolls back within one reconcile, with the floor held', async () => {
    rt = await startTestRuntime();
    const client = cloudwatch();
    await alarm(client, 'corral-pay-5xx');
    const steps = [{ setWeight: 50 }, { pause: {} }];
    await deployed('pay', canarySpec('pay:1', steps, { alarms: ['corral-pay-5xx'] }));
    rt.watcher.guardBounds('pay', 5, 4);
    await call(rt.apiUrl, 'PUT', '/services/pay', canarySpec('pay:2', steps, { alarms: ['corral-pay-5xx'] }));
    expect(await rt.until(async () => (await status('pay')).rollout?.waiting?.kind === 'untilPromoted', 5 * 60_000)).toBe(true);
    expect(await byRevision('pay')).toEqual({ new: 2, stable: 2 });

    await client.send(new SetAlarmStateCommand({ AlarmName: 'corral-pay-5xx', StateValue: 'ALARM', StateReason: 'Threshold Crossed: 9 > 5' }));
    // The reconciler reads the alarms every 10 s while the rollout runs.
    expect(await rt.until(async () => (await events(rt, 'pay')).some((e) => e.type === 'RolloutFailed'), 20_000)).toBe(true);
    const failed = (await events(rt, 'pay')).find((e) => e.type === 'RolloutFailed');
    expect(failed?.message).toBe('Rollout of revision 2 failed: alarm corral-pay-5xx entered ALARM (Threshold Crossed: 9 > 5); rolling back to revision 1');
    expect(await rt.until(async () => (await status('pay')).phase === 'RolledBack', 5 * 60_000)).toBe(true);
    expect(await byRevision('pay')).toEqual({ new: 0, stable: 4 });
    expect(rt.watcher.violations).toEqual([]);
    client.destroy();
  });

  it('an alarm already firing before the rollout holds it with the AlarmFiringAtStart condition until promote', async () => {
    rt = await startTestRuntime();
    const client = cloudwatch();
    await alarm(client, 'corral-cart-latency');
    const spec = (image: string) => ({ image, replicas: 2, healthCheck, rollout: { minHealthySeconds: 5, alarms: ['corral-cart-latency'] } });
    await deployed('cart', spec('cart:1'));
    await client.send(new SetAlarmStateCommand({ AlarmName: 'corral-cart-latency', StateValue: 'ALARM', StateReason: 'p99 high' }));
    await call(rt.apiUrl, 'PUT', '/services/cart', spec('cart:2'));
    await rt.run(30_000);
    const held = await status('cart');
    expect(held.rollout?.held?.reason).toBe('AlarmFiringAtStart');
    expect(held.conditions.find((c: { type: string }) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'AlarmFiringAtStart' });
    expect((await rt.liveTasks('cart')).every((t) => t.revision === 1)).toBe(true);
    expect((await events(rt, 'cart')).filter((e) => e.type === 'AlarmFiringAtStart')).toHaveLength(1);

    await call(rt.apiUrl, 'POST', '/services/cart/promote', {});
    expect(await rt.until(async () => (await status('cart')).phase === 'Available', 5 * 60_000)).toBe(true);
    expect((await status('cart')).revision).toBe(2);
    client.destroy();
  });

  it('PUT refuses alarms Corral could not read or that do not exist, naming the field, and stores nothing', async () => {
    rt = await startTestRuntime();
    const client = cloudwatch();
    await alarm(client, 'corral-web-5xx');
    const spec = (alarms: string[]) => ({ image: 'web:1', replicas: 1, rollout: { alarms } });
    const outside = await call(rt.apiUrl, 'PUT', '/services/web', spec(['corral-web-5xx', 'web-latency']));
    expect(outside.status).toBe(400);
    expect(outside.body.error.details).toEqual([{ field: 'rollout.alarms[1]', message: expect.stringMatching(/must start with "corral-"/) }]);
    const missing = await call(rt.apiUrl, 'PUT', '/services/web', spec(['corral-web-typo']));
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ field: 'rollout.alarms[0]', message: 'alarm corral-web-typo does not exist in CloudWatch' }]);
    expect((await call(rt.apiUrl, 'GET', '/services/web')).status).toBe(404);
    expect((await call(rt.apiUrl, 'PUT', '/services/web', spec(['corral-web-5xx']))).status).toBe(201);
    client.destroy();
  });

  it('abort goes back to stable at full count, marked Aborted; undo after a canary goes back too', async () => {
    rt = await startTestRuntime();
    const steps = [{ setWeight: 25 }, { pause: {} }];
    await deployed('shop', canarySpec('shop:1', steps));
    rt.watcher.guardBounds('shop', 5, 4);
    await call(rt.apiUrl, 'PUT', '/services/shop', canarySpec('shop:2', steps));
    expect(await rt.until(async () => (await status('shop')).phase === 'Paused', 5 * 60_000)).toBe(true);
    expect((await call(rt.apiUrl, 'POST', '/services/shop/abort', {})).status).toBe(200);
    expect(await rt.until(async () => (await status('shop')).phase === 'Aborted' && (await byRevision('shop')).new === 0, 5 * 60_000)).toBe(true);
    // The last stopped task's state change reaches the reconciler within one batching window.
    await rt.run(taskEventBatching.maxBatchingWindowMs);
    expect(await status('shop')).toMatchObject({ revision: 1, stableRevision: 1, targetRevision: 2 });
    expect((await status('shop')).message).toBe('Rollout of revision 2 aborted: back on revision 1, 4 of 4 tasks available');
    expect((await call(rt.apiUrl, 'POST', '/services/shop/abort', {})).status).toBe(409);

    // A new image is a fresh canary; undo in mid-canary returns to the stable revision.
    await call(rt.apiUrl, 'PUT', '/services/shop', canarySpec('shop:3', steps));
    expect(await rt.until(async () => (await status('shop')).phase === 'Paused' && (await status('shop')).revision === 3, 5 * 60_000)).toBe(true);
    expect((await call(rt.apiUrl, 'POST', '/services/shop/rollback', {})).status).toBe(200);
    expect(await rt.until(async () => {
      const s = await status('shop');
      return s.phase === 'Available' && s.revision === 1;
    }, 5 * 60_000)).toBe(true);
    expect((await rt.liveTasks('shop')).every((t) => t.revision === 1)).toBe(true);
    expect(rt.watcher.violations).toEqual([]);
  });
});

describe('a reconciler killed after each AWS call in turn during a canary', () => {
  let rt: TestRuntime;
  afterEach(async () => {
    await rt?.close();
  });

  it('never breaks the bounds or the step weight, and the canary completes', async () => {
    rt = await startTestRuntime({ reconcile: false });
    const replicas = 4;
    const converge = (name: string, revision: number) =>
      reconcileUntil(rt, name, async () => {
        const s = (await getService(rt, name)).status;
        return s.phase === 'Available' && s.revision === revision;
      });
    let completedAt: number | undefined;
    for (let killAfter = 1; completedAt === undefined && killAfter < 40; killAfter++) {
      const name = `canary-${killAfter}`;
      const spec = (image: string) => ({ image, replicas, rollout: { strategy: 'Canary', steps: [{ setWeight: 50 }], minHealthySeconds: 0, maxSurge: 1, maxUnavailable: 0 } });
      await call(rt.apiUrl, 'PUT', `/services/${name}`, spec('app:1'));
      expect(await converge(name, 1)).toBe(true);
      rt.watcher.guardBounds(name, replicas + 1, replicas);
      await call(rt.apiUrl, 'PUT', `/services/${name}`, spec('app:2'));
      const killable = killableReconciler(rt, killAfter, `doomed-${killAfter}`);
      try {
        await reconcileService(killable.deps, name);
        completedAt = killAfter;
      } catch (error) {
        expect(isKilled(error)).toBe(true);
      } finally {
        killable.close();
      }
      await rt.run(61_000);
      expect(await converge(name, 2)).toBe(true);
      expect(await rt.liveTasks(name)).toHaveLength(replicas);
    }
    expect(completedAt).toBeGreaterThan(3);
    expect(rt.watcher.violations).toEqual([]);
  });
});
