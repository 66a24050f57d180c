import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, zeroDelays, type LocalRuntime } from '../../lib/local/runtime.js';
import type { VirtualClock } from '../../lib/local/virtual-clock.js';
import { call } from '../support/http.js';

const minute = 60_000;

describe('job run metrics in local mode', () => {
  let runtime: LocalRuntime;
  let clock: VirtualClock;
  let scheduleStart: number;

  beforeAll(async () => {
    runtime = await startLocalRuntime({ apiPort: 0, awsPort: 0, virtualTime: true, delays: zeroDelays });
    clock = runtime.clock as VirtualClock;
    scheduleStart = clock.now();
  });
  afterAll(async () => {
    await runtime?.close();
  });

  async function imageBehaves(image: string, behavior: string, extra: { afterSeconds?: number; exitCode?: number } = {}): Promise<void> {
    expect((await call(runtime.awsUrl, 'POST', '/_corral/images', { image, behavior, ...extra })).status).toBe(200);
  }

  /** Creates the job right after the dispatcher's tick, so its rate ticks fall on dispatcher ticks. */
  async function createJob(name: string, spec: Record<string, unknown>): Promise<void> {
    const sinceFiring = (clock.now() - scheduleStart) % minute;
    if (sinceFiring > 0) await runtime.bus.runFor(clock, minute - sinceFiring);
    expect((await call(runtime.apiUrl, 'PUT', `/jobs/${name}`, spec)).status).toBe(201);
  }

  it('counts JobRuns by outcome, aggregated and per job, and each run\'s start lateness', async () => {
    await imageBehaves('ok:*', 'exit', { afterSeconds: 10, exitCode: 0 });
    await imageBehaves('bad:*', 'exit', { afterSeconds: 10, exitCode: 3 });
    await imageBehaves('long:*', 'exit', { afterSeconds: 90, exitCode: 0 });
    await createJob('ok', { image: 'ok:1', schedule: 'rate(1 minute)' });
    await createJob('bad', { image: 'bad:1', schedule: 'rate(1 minute)' });
    await createJob('long', { image: 'long:1', schedule: 'rate(1 minute)', concurrencyPolicy: 'Forbid' });
    await runtime.bus.runFor(clock, 3 * minute + 30_000);
    runtime.metrics.flush();
    const m = runtime.metrics;

    // ok and bad: a run a minute, each over after 10 s. long: every other tick is skipped
    // while the 90 s run before it is active.
    expect(m.sum('JobRuns', { outcome: 'Succeeded', job: 'ok' })).toBe(3);
    expect(m.sum('JobRuns', { outcome: 'Failed', job: 'bad' })).toBe(3);
    expect(m.sum('JobRuns', { outcome: 'Skipped', job: 'long' })).toBeGreaterThanOrEqual(1);
    expect(m.sum('JobRuns', { outcome: 'Failed', job: 'ok' })).toBe(0);
    // The aggregate series carry only the outcome.
    expect(m.sum('JobRuns', { outcome: 'Failed' })).toBe(3);
    expect(m.sum('JobRuns', { outcome: 'Succeeded' })).toBe(m.sum('JobRuns', { outcome: 'Succeeded', job: 'ok' }) + m.sum('JobRuns', { outcome: 'Succeeded', job: 'long' }));
    const jobRunSets = new Set(m.documents.filter((d) => 'JobRuns' in d).map((d) => JSON.stringify(d._aws.CloudWatchMetrics[0].Dimensions)));
    expect(jobRunSets).toEqual(new Set([JSON.stringify([['outcome'], ['outcome', 'job']])]));

    // Lateness: one datapoint per started run, aggregated and per job; zero simulated delays.
    const lateness = m.datapoints().filter((d) => d.name === 'JobStartLateness');
    const started = m.sum('JobRuns', { outcome: 'Succeeded' }) + m.sum('JobRuns', { outcome: 'Failed' });
    expect(lateness.filter((d) => Object.keys(d.dimensions).length === 0).length).toBeGreaterThanOrEqual(started);
    expect(lateness.filter((d) => d.dimensions['job'] === 'ok').length).toBe(3);
    expect(lateness.every((d) => d.unit === 'Milliseconds' && d.value >= 0 && d.value < 1_000)).toBe(true);
  });
});
