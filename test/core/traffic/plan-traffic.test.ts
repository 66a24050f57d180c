import { describe, expect, it } from 'vitest';
import { planTraffic, SERVICE_ATTRIBUTE, trafficReadiness, type TrafficBinding, type TrafficObserved, type TrafficTask } from '../../../lib/core/traffic/index.js';

const tg = 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/0123456789abcdef';
const registry = 'arn:aws:servicediscovery:us-east-1:1:service/srv-web';
const binding: TrafficBinding = { loadBalancers: [{ targetGroupArn: tg, containerPort: 80 }], registries: [{ registryArn: registry }] };

function task(id: string, fields: Partial<TrafficTask> = {}): TrafficTask {
  return { taskArn: `arn:task/${id}`, taskId: id, revision: 1, ip: `10.0.0.${id.length}`, lastStatus: 'RUNNING', desiredStatus: 'RUNNING', healthStatus: 'HEALTHY', ...fields };
}

function observed(fields: Partial<TrafficObserved> = {}): TrafficObserved {
  return { targets: { [tg]: [] }, instances: { [registry]: [] }, drainingMs: { [tg]: 5_000 }, draining: {}, ...fields };
}

const plan = (tasks: TrafficTask[], seen: TrafficObserved, stops: string[] = [], now = 100_000) =>
  planTraffic({ service: 'web', tasks, binding: () => binding, observed: seen, stops, now });

describe('trafficReadiness', () => {
  const a = task('a');
  it.each([
    ['no target yet', observed(), 'pending'],
    ['initial target', observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'initial' }] } }), 'pending'],
    ['healthy but not in Cloud Map', observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'healthy' }] } }), 'pending'],
    [
      'healthy and registered',
      observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'healthy' }] }, instances: { [registry]: [{ id: 'a', attributes: {} }] } }),
      'ready',
    ],
    ['unhealthy target', observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'unhealthy' }] } }), 'failing'],
    ['draining target', observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'draining' }] } }), 'draining'],
    ['deregistered by Corral', observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'healthy' }] }, draining: { [a.taskArn]: { since: 1 } } }), 'draining'],
    ['deregistered by Corral because it failed', observed({ draining: { [a.taskArn]: { since: 1, failing: true } } }), 'failing'],
  ] as const)('%s → %s', (_, seen, expected) => {
    expect(trafficReadiness(a, binding, seen)).toBe(expected);
  });

  it('a revision without traffic has no readiness (container health decides)', () => {
    expect(trafficReadiness(a, { loadBalancers: [], registries: [] }, observed())).toBeUndefined();
    expect(trafficReadiness(a, undefined, observed())).toBeUndefined();
  });
});

describe('planTraffic', () => {
  it('registers a RUNNING task in its target groups, and in Cloud Map once every target is healthy', () => {
    const a = task('a');
    const result = plan([a, task('pending', { lastStatus: 'PENDING', ip: undefined })], observed());
    expect(result.register).toEqual([{ targetGroupArn: tg, targets: [{ ip: a.ip, port: 80 }] }]);
    expect(result.registerInstances).toEqual([]);
    expect(result.requeueAfterMs).toBe(5_000);
    expect(plan([a], observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'initial' }] } })).registerInstances).toEqual([]);
    const healthy = plan([a], observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'healthy' }] } }));
    expect(healthy.registerInstances).toEqual([
      { registryArn: registry, instanceId: 'a', attributes: { AWS_INSTANCE_IPV4: a.ip, AWS_INSTANCE_PORT: '80', [SERVICE_ATTRIBUTE]: 'web' } },
    ]);
    expect(healthy.register).toEqual([]);
  });

  it('a converged service plans nothing and asks for no requeue', () => {
    const a = task('a');
    const result = plan([a], observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'healthy' }] }, instances: { [registry]: [{ id: 'a', attributes: { [SERVICE_ATTRIBUTE]: 'web' } }] } }));
    expect(result).toEqual({ deregister: [], deregisterInstances: [], register: [], registerInstances: [], releasedStops: [], heldStops: [], draining: {} });
  });

  it('drains before a planned stop: deregister and hold, then release once the target is gone', () => {
    const a = task('a');
    const inTraffic = observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'healthy' }] }, instances: { [registry]: [{ id: 'a', attributes: {} }] } });
    const first = plan([a], inTraffic, [a.taskArn], 100_000);
    expect(first.deregister).toEqual([{ targetGroupArn: tg, targets: [{ ip: a.ip, port: 80 }] }]);
    expect(first.deregisterInstances).toEqual([{ registryArn: registry, instanceId: 'a' }]);
    expect(first).toMatchObject({ heldStops: [a.taskArn], releasedStops: [], draining: { [a.taskArn]: { since: 100_000 } }, requeueAfterMs: 5_000 });

    // Requeued early (another event): still draining, hold on until the delay from the first deregistration ends.
    const draining = observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'draining' }] }, draining: first.draining });
    const early = plan([a], draining, [a.taskArn], 102_000);
    expect(early).toMatchObject({ deregister: [], heldStops: [a.taskArn], draining: { [a.taskArn]: { since: 100_000 } }, requeueAfterMs: 3_000 });

    const done = plan([a], observed({ draining: first.draining }), [a.taskArn], 105_000);
    expect(done).toMatchObject({ releasedStops: [a.taskArn], heldStops: [], draining: {} });
  });

  it('a target still listed past its delay is looked at again a second later, not in a tight loop', () => {
    const a = task('a');
    const late = plan([a], observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'draining' }] }, draining: { [a.taskArn]: { since: 0 } } }), [a.taskArn], 100_000);
    expect(late).toMatchObject({ heldStops: [a.taskArn], requeueAfterMs: 1_000 });
  });

  it('after a crash between DeregisterTargets and StopTask, the draining target holds the stop (conservatively from now)', () => {
    const a = task('a');
    const result = plan([a], observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'draining' }] } }), [a.taskArn], 100_000);
    expect(result).toMatchObject({ deregister: [], heldStops: [a.taskArn], draining: { [a.taskArn]: { since: 100_000 } }, requeueAfterMs: 5_000 });
  });

  it.each([
    ['UNHEALTHY', { healthStatus: 'UNHEALTHY' as const }],
    ['stopping on its own', { lastStatus: 'STOPPING', desiredStatus: 'STOPPED' as const }],
    ['stopped', { lastStatus: 'STOPPED', desiredStatus: 'STOPPED' as const }],
  ])('fast removal: a task %s is deregistered at once, with no stop planned', (_, fields) => {
    const a = task('a', fields);
    const result = plan([a], observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'healthy' }] }, instances: { [registry]: [{ id: 'a', attributes: {} }] } }));
    expect(result.deregister).toEqual([{ targetGroupArn: tg, targets: [{ ip: a.ip, port: 80 }] }]);
    expect(result.deregisterInstances).toEqual([{ registryArn: registry, instanceId: 'a' }]);
    expect(result.register).toEqual([]);
    expect(result.heldStops).toEqual([]);
  });

  it('a task drained for a stop the planner no longer wants is registered again', () => {
    const a = task('a');
    const result = plan([a], observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'draining' }] }, draining: { [a.taskArn]: { since: 1 } } }), []);
    expect(result.register).toEqual([{ targetGroupArn: tg, targets: [{ ip: a.ip, port: 80 }] }]);
    expect(result.draining).toEqual({});
  });

  it('deregisters Cloud Map instances of this service whose task is gone, and leaves other services’ alone', () => {
    const result = plan(
      [task('a')],
      observed({
        instances: {
          [registry]: [
            { id: 'a', attributes: { [SERVICE_ATTRIBUTE]: 'web' } },
            { id: 'gone', attributes: { [SERVICE_ATTRIBUTE]: 'web' } },
            { id: 'theirs', attributes: { [SERVICE_ATTRIBUTE]: 'api' } },
          ],
        },
      }),
    );
    expect(result.deregisterInstances).toEqual([{ registryArn: registry, instanceId: 'gone' }]);
  });

  it('a task drained because its target failed stays failing while it drains, so the planner keeps its stop', () => {
    const a = task('a');
    const failing = observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'unhealthy' }] } });
    const first = plan([a], failing, [a.taskArn]);
    expect(first.draining).toEqual({ [a.taskArn]: { since: 100_000, failing: true } });
    expect(trafficReadiness(a, binding, observed({ targets: { [tg]: [{ ip: a.ip!, port: 80, state: 'draining' }] }, draining: first.draining }))).toBe('failing');
  });

  it('a stop of a task never registered goes ahead at once', () => {
    const a = task('a', { lastStatus: 'PENDING', ip: undefined });
    expect(plan([a], observed(), [a.taskArn])).toMatchObject({ releasedStops: [a.taskArn], heldStops: [] });
  });
});
