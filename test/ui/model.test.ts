import { describe, expect, it } from 'vitest';

// The page's model is a browser module (plain JavaScript, no build step); its functions are pure.
const modelPath = '../../lib/ui/static/model.js';
const model = await import(modelPath);

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

describe('status page model', () => {
  it('reads the revision history from the events: rolled out, failed, rolled back, restored', () => {
    const events = [
      { time: at(50), type: 'RolledBack', message: 'Rolled back to revision 2 after revision 3 failed: 3 tasks failed' },
      { time: at(40), type: 'RolloutStarted', message: 'Rolling back to revision 2: revision 3 failed (3 tasks failed)' },
      { time: at(30), type: 'RolloutStarted', message: 'Rollout of revision 3 started (RollingUpdate), replacing revision 2' },
      { time: at(20), type: 'RolloutCompleted', message: 'Rollout of revision 2 complete: 4 of 4 tasks available' },
      { time: at(10), type: 'RolloutStarted', message: 'Rollout of revision 2 started (RollingUpdate), replacing revision 1' },
      { time: at(5), type: 'Available', message: 'Revision 1 available: 4 of 4 tasks' },
      { time: at(0), type: 'TasksStarted', message: 'Started 4 task(s) of revision 1' },
    ];
    const status = { revision: 2, targetRevision: 3, stableRevision: 2 };
    const history = model.revisionHistory(events, status, { 2: 'web:2', 3: 'web:3' });
    expect(history.map((r: { revision: number; outcome?: string }) => [r.revision, r.outcome])).toEqual([
      [3, 'rolled back'], [2, 'restored'], [1, 'available'],
    ]);
    expect(history[0]).toMatchObject({ image: 'web:3', target: true, current: false, first: at(30), last: at(50) });
    expect(history[1]).toMatchObject({ current: true, stable: true });
  });

  it('names a secret by its name, also when a spec references it by ARN (without the random suffix)', () => {
    const services = [
      { name: 'a', generation: 1, spec: { secrets: { DB: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbC123' } } },
      { name: 'b', generation: 1, spec: { secrets: { DB: 'prod/db', KEY: 'api-key' } } },
      { name: 'c', generation: 1, spec: {} },
    ];
    expect(model.referencedSecrets(services)).toEqual(['api-key', 'prod/db']);
  });

  it('draws counts as steps over the window, holding the value from before the window', () => {
    const now = 100_000;
    const samples = [
      { t: 0, desired: 4, updated: 0, available: 4 },
      { t: 80_000, desired: 4, updated: 2, available: 3 },
    ];
    const paths = model.chartPaths(samples, { width: 100, height: 40, now, windowMs: 40_000 });
    expect(paths.top).toBe(4);
    expect(paths.updated).toBe('M0,40 H50 V20 H100');
    expect(paths.available).toBe('M0,0 H50 V10 H100');
    expect(model.chartWindow(samples, now)).toBe(100_000);
    expect(model.chartWindow([{ t: 95_000 }], now)).toBe(10_000);
    expect(model.chartWindow([{ t: 0 }], 10 * 60_000)).toBe(5 * 60_000);
  });

  it('shows canary steps, and offers promote, only when the status carries them', () => {
    const rolling = { name: 'w', generation: 2, spec: {}, status: { phase: 'Progressing', revision: 2, targetRevision: 2, stableRevision: 1 } };
    expect(model.canaryStep(rolling.status)).toBeUndefined();
    expect(model.availableActions(rolling)).toEqual(['pause', 'undo']);
    const canary = { ...rolling, status: { ...rolling.status, rollout: { step: 1, steps: [{ setWeight: 25 }, { pause: {} }], weight: 25 } } };
    expect(model.canaryStep(canary.status)).toEqual({ step: 1, steps: 2, weight: 25 });
    expect(model.availableActions(canary)).toEqual(['pause', 'promote', 'undo']);
    expect(model.availableActions({ ...rolling, status: { ...rolling.status, paused: true } })).toEqual(['resume', 'undo']);
    expect(model.availableActions({ ...rolling, status: { phase: 'Terminating' } })).toEqual([]);
    expect(model.availableActions({ ...rolling, status: { phase: 'Available', revision: 1, targetRevision: 1 } })).toEqual(['pause']);
  });

  it("reports a job run's lateness and duration from the API's figures or its times", () => {
    expect(model.lateness({ tick: at(0), startedAt: at(2) })).toBe(2);
    expect(model.lateness({ tick: at(0), startedAt: at(2), latenessSeconds: 0.4 })).toBe(0.4);
    expect(model.lateness({ tick: at(0) })).toBeUndefined();
    expect(model.runDuration({ startedAt: at(2), stoppedAt: at(65) })).toBe(63);
    expect(model.formatDuration(63)).toBe('1 min 03 s');
    expect(model.formatDuration(0.4)).toBe('0 s');
    expect(model.formatDuration(7_500)).toBe('2 h 05 min');
  });

  it('names the target groups and Cloud Map services a service takes traffic from', () => {
    const spec = {
      loadBalancers: [{ targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web-tg/0123456789abcdef' }],
      serviceRegistries: [{ registryArn: 'arn:aws:servicediscovery:us-east-1:000000000000:service/srv-abc123' }],
    };
    expect(model.trafficTargets({ name: 'w', generation: 1, spec })).toEqual({ groups: ['web-tg'], registries: ['srv-abc123'] });
    expect(model.trafficTargets({ name: 'w', generation: 1, spec: {} })).toEqual({ groups: [], registries: [] });
    expect(model.targetGroupHealth({ targetGroups: [{ targetGroupArn: spec.loadBalancers[0].targetGroupArn, healthy: 3, draining: 1 }] }))
      .toEqual([{ name: 'web-tg', states: [['healthy', 3], ['draining', 1]] }]);
  });

  it('shows the image the fleet converges on and the one it leaves, as far as the page has seen them', () => {
    const service = { name: 'w', generation: 3, spec: { image: 'web:3' }, status: { revision: 2, targetRevision: 3, stableRevision: 2 } };
    expect(model.runningImage(service, { 2: 'web:2' })).toEqual({ image: 'web:2' });
    expect(model.runningImage({ ...service, status: { revision: 3, targetRevision: 3, stableRevision: 2 } }, { 2: 'web:2' })).toEqual({ image: 'web:3', from: 'web:2' });
    expect(model.runningImage(service, {})).toEqual({ image: 'revision 2' });
  });

  it('learns a revision\'s image only from a status planned from that spec, not from one still naming the old target', () => {
    const samples = new model.Samples();
    const stable = { name: 'w', generation: 1, spec: { image: 'web:1' }, status: { observedGeneration: 1, revision: 1, targetRevision: 1, stableRevision: 1 } };
    samples.record([stable], 0);
    // Just after the PUT: the spec is generation 2, the status still that of generation 1.
    samples.record([{ ...stable, generation: 2, spec: { image: 'web:2' } }], 1);
    expect(samples.imagesOf('w')).toEqual({ 1: 'web:1' });
    const rolling = { name: 'w', generation: 2, spec: { image: 'web:2' }, status: { observedGeneration: 2, revision: 2, targetRevision: 2, stableRevision: 1 } };
    samples.record([rolling], 2);
    expect(model.runningImage(rolling, samples.imagesOf('w'))).toEqual({ image: 'web:2', from: 'web:1' });
  });
});
