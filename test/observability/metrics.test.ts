import { afterEach, describe, expect, it, vi } from 'vitest';
import { countRunOutcome } from '../../lib/observability/job-metrics.js';
import { CorralMetrics, type MetricDimensions } from '../../lib/observability/metrics.js';
import { reconcileDatapoints } from '../../lib/observability/reconcile-metrics.js';
import type { MetricName } from '../../lib/observability/metric-names.js';

/** The EMF lines Powertools writes to stdout while `work` runs, parsed. */
function emfLinesOf(work: () => void): Record<string, any>[] {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (lines.push(String(chunk)), true));
  try {
    work();
  } finally {
    spy.mockRestore();
  }
  return lines.flatMap((chunk) => chunk.split('\n')).filter((line) => line.startsWith('{"_aws"')).map((line) => JSON.parse(line));
}

describe('CorralMetrics on Powertools Metrics, as a Lambda writes them (stdout)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('publishes the aggregate without any dimension (not even the function\'s service) and per service apart', () => {
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'corral-reconciler');
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'SomethingElse');
    const documents = emfLinesOf(() => {
      const metrics = new CorralMetrics({ logger: { debug() {}, info() {}, warn() {}, error() {} } });
      metrics.add('RolloutCompleted', 1, { service: 'web' });
      metrics.add('RolloutCompleted', 1, { service: 'api' });
      metrics.add('LeaseLost', 1);
      metrics.add('ReconcileDuration', 12.5, { service: 'web' });
      metrics.add('JobRuns', 1, { outcome: 'Missed', job: 'nightly' });
      // What logMetrics does at the end of the invocation.
      metrics.powertools.publishStoredMetrics();
    });
    const shape = (d: Record<string, any>) => ({ ...d, _aws: { ...d._aws, Timestamp: 'any' } });
    const directive = (dimensions: string[][], ...metrics: [string, string][]) => ({
      Timestamp: 'any', CloudWatchMetrics: [{ Namespace: 'Corral', Dimensions: dimensions, Metrics: metrics.map(([Name, Unit]) => ({ Name, Unit })) }],
    });
    expect(documents.map(shape)).toEqual([
      { _aws: directive([['service']], ['RolloutCompleted', 'Count']), service: 'web', RolloutCompleted: 1 },
      { _aws: directive([['service']], ['RolloutCompleted', 'Count']), service: 'api', RolloutCompleted: 1 },
      { _aws: directive([['outcome'], ['outcome', 'job']], ['JobRuns', 'Count']), outcome: 'Missed', job: 'nightly', JobRuns: 1 },
      {
        _aws: directive([[]], ['RolloutCompleted', 'Count'], ['LeaseLost', 'Count'], ['ReconcileDuration', 'Milliseconds']),
        RolloutCompleted: [1, 1], LeaseLost: 1, ReconcileDuration: 12.5,
      },
    ]);
  });

  it('writes nothing, and warns of nothing, for an invocation that recorded nothing', () => {
    const warnings: unknown[] = [];
    const documents = emfLinesOf(() => {
      new CorralMetrics({ logger: { debug() {}, info() {}, warn: (m: unknown) => void warnings.push(m), error() {} } }).powertools.publishStoredMetrics();
    });
    expect(documents).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('refuses a JobRuns datapoint without its outcome', () => {
    expect(() => new CorralMetrics().add('JobRuns', 1, { job: 'nightly' })).toThrow(/outcome/);
  });
});

describe('reconcileDatapoints: what a recorded decision counts', () => {
  const report = (started: number[], failures: number) => ({
    started: started.map((count, revision) => ({ revision, count })),
    failures: Array.from({ length: failures }, () => ({ type: 'RunTaskFailed' as const, revision: 1, message: 'no capacity', reason: 'RESOURCE:CPU' })),
  });
  const stops = (n: number) => ({ stop: Array.from({ length: n }, (_, i) => ({ taskArn: `arn:${i}`, reason: 'corral: replaced' })) });
  const events = (...types: string[]) => types.map((type) => ({ type, message: type })) as Parameters<typeof reconcileDatapoints>[2];

  it.each<[string, ReturnType<typeof stops>, ReturnType<typeof report>, ReturnType<typeof events>, Partial<Record<MetricName, number>>]>([
    ['converged: nothing', stops(0), report([], 0), events(), {}],
    ['a first deployment starts and ends Available', stops(0), report([3], 0), events('RolloutStarted', 'Available'), { RolloutStarted: 1, RolloutCompleted: 1, TasksStarted: 3 }],
    ['a rolling step: 2 stopped, 3 planned, 1 refused', stops(2), report([0, 2], 1), events('RolloutProgressed'), { TasksStopped: 2, TasksStarted: 2, LaunchFailures: 1 }],
    ['a failed rollout rolls back', stops(1), report([1], 0), events('RolloutFailed'), { RolloutFailed: 1, TasksStopped: 1, TasksStarted: 1 }],
    ['and is rolled back', stops(0), report([], 0), events('RolledBack'), { RolloutRolledBack: 1 }],
    ['a later rollout completes', stops(1), report([], 0), events('RolloutCompleted'), { RolloutCompleted: 1, TasksStopped: 1 }],
  ])('%s', (_, plan, launched, recorded, expected) => {
    expect(Object.fromEntries(reconcileDatapoints(plan, launched, recorded).map((d) => [d.name, d.value]))).toEqual(expected);
  });
});

describe('countRunOutcome: JobRuns by outcome', () => {
  it.each([
    ['Succeeded', true], ['Failed', true], ['Missed', true], ['Skipped', true], ['Running', false], ['TimedOut', false], ['Replaced', false], ['Pending', false],
  ] as const)('%s counted: %s', (status, counted) => {
    const added: [MetricName, number, MetricDimensions | undefined][] = [];
    countRunOutcome({ add: (name, value, dimensions) => void added.push([name, value, dimensions]) }, 'nightly', { status });
    expect(added).toEqual(counted ? [['JobRuns', 1, { outcome: status, job: 'nightly' }]] : []);
  });
});
