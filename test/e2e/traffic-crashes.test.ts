import {
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientOptions, sdkConfig } from '../../lib/aws/clients.js';
import { reconcileService } from '../../lib/reconciler/runner.js';
import { call } from '../support/http.js';
import { isKilled, killableReconciler, reconcileUntil } from '../support/killable-reconciler.js';
import { getService, startTestRuntime, type TestRuntime } from '../support/local-mode.js';

describe('a reconciler killed after each AWS call in turn while it drains and stops', () => {
  let rt: TestRuntime;
  let elb: ElasticLoadBalancingV2Client;
  beforeAll(async () => {
    rt = await startTestRuntime({ reconcile: false });
    elb = new ElasticLoadBalancingV2Client(sdkConfig(localClientOptions(rt.awsUrl)));
  });
  afterAll(async () => {
    elb.destroy();
    await rt?.close();
  });

  async function targetGroup(name: string): Promise<string> {
    const created = await elb.send(
      new CreateTargetGroupCommand({
        Name: name, Protocol: 'HTTP', Port: 80, VpcId: 'vpc-local', TargetType: 'ip',
        HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2,
      }),
    );
    const arn = created.TargetGroups?.[0]?.TargetGroupArn as string;
    await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }] }));
    return arn;
  }

  /** Healthy reconciles, as the requeues and the sweep would bring them, until Available with `replicas` tasks. */
  function converge(name: string, replicas: number): Promise<boolean> {
    return reconcileUntil(rt, name, async () => {
      const { status } = await getService(rt, name);
      return status.phase === 'Available' && status.counts.available === replicas && (await rt.liveTasks(name)).length === replicas && !status.draining;
    }, { rounds: 40, stepMs: 2_500 });
  }

  it.each([
    ['the reconcile that deregisters (between DeregisterTargets and the later StopTask)', false],
    ['the reconcile that stops once draining ended (after StopTask, before its bookkeeping)', true],
  ])('killed in %s: converges with no target left for a stopped task', async (_, drainFirst) => {
    let completedAt: number | undefined;
    for (let killAfter = 1; completedAt === undefined && killAfter < 40; killAfter++) {
      const name = `drain-${drainFirst ? 's' : 'd'}-${killAfter}`;
      const tg = await targetGroup(name.replace(/-/g, ''));
      const spec = { image: 'web:1', replicas: 2, port: 80, loadBalancers: [{ targetGroupArn: tg }], rollout: { minHealthySeconds: 0 } };
      await call(rt.apiUrl, 'PUT', `/services/${name}`, spec);
      expect(await converge(name, 2)).toBe(true);

      await call(rt.apiUrl, 'POST', `/services/${name}/scale`, { replicas: 1 });
      if (drainFirst) {
        await reconcileService({ ...rt.reconcilerDeps, holder: 'deregisters' }, name);
        expect(Object.keys((await rt.store.getStatus(name))?.status.draining ?? {})).toHaveLength(1);
        await rt.run(5_000);
      }
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
      expect(await converge(name, 1), name).toBe(true);

      const tasks = await rt.tasks(name);
      const live = tasks.filter((t) => t.lastStatus !== 'STOPPED' && t.desiredStatus !== 'STOPPED');
      const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }));
      const registered = (health.TargetHealthDescriptions ?? []).map((d) => d.Target?.Id);
      expect(registered, name).toEqual(live.map((t) => t.privateIpv4));
      expect(tasks.filter((t) => t.desiredStatus === 'STOPPED'), name).toHaveLength(1);
    }
    // The loop went through the kill points of a whole drain-then-stop reconcile.
    expect(completedAt).toBeGreaterThan(5);
  });
});
