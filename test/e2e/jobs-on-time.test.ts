import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBridgeEvent, ScheduledEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobRun } from '../../lib/aws/job-store.js';
import { jobRunOfGroup } from '../../lib/core/jobs/index.js';
import { startLocalRuntime, zeroDelays, type LocalRuntime, type LocalRuntimeOptions } from '../../lib/local/runtime.js';
import type { VirtualClock } from '../../lib/local/virtual-clock.js';
import { call } from '../support/http.js';
import { seededRandom } from '../support/seeded-random.js';
import { killableDispatcher } from '../support/killable-dispatcher.js';

const minute = 60_000;

interface TaskChange {
  taskArn: string;
  group?: string;
  lastStatus: string;
}

/** Local mode on a virtual clock, with every job task state change it emits collected. */
class JobsWorld {
  runtime!: LocalRuntime;
  clock!: VirtualClock;
  /** Distinct task ARNs per job run (`job@tick`), across restarts. */
  readonly tasksByRun = new Map<string, Set<string>>();
  readonly events: (TaskChange & { at: number })[] = [];
  /** Image behaviours, set again after a restart (the endpoint's controls are not kept). */
  private readonly images: Record<string, unknown>[] = [];

  static async start(options: LocalRuntimeOptions = {}): Promise<JobsWorld> {
    const world = new JobsWorld();
    await world.boot(options);
    return world;
  }

  async boot(options: LocalRuntimeOptions): Promise<void> {
    this.runtime = await startLocalRuntime({ apiPort: 0, awsPort: 0, virtualTime: true, delays: zeroDelays, dispatchers: 3, ...options });
    this.clock = this.runtime.clock as VirtualClock;
    for (const rule of this.images) expect((await call(this.runtime.awsUrl, 'POST', '/_corral/images', rule)).status).toBe(200);
    this.runtime.bus.subscribe({ source: ['aws.ecs'], 'detail-type': ['ECS Task State Change'] }, (event: EventBridgeEvent<string, TaskChange>) => {
      const run = jobRunOfGroup(event.detail.group);
      if (run === undefined) return;
      const key = `${run.job}@${run.tick}`;
      if (!this.tasksByRun.has(key)) this.tasksByRun.set(key, new Set());
      this.tasksByRun.get(key)!.add(event.detail.taskArn);
      this.events.push({ ...event.detail, at: this.clock.now() });
    });
  }

  run(ms: number): Promise<void> {
    return this.runtime.bus.runFor(this.clock, ms);
  }

  /** Advances to `offsetMs` past the next whole minute (or this one, if still ahead). */
  async runToSecond(offsetMs: number): Promise<void> {
    const now = this.clock.now();
    const target = Math.floor(now / minute) * minute + offsetMs;
    await this.run((target > now ? target : target + minute) - now);
  }

  async image(image: string, behavior: string, extra: Record<string, unknown> = {}): Promise<void> {
    const rule = { image, behavior, ...extra };
    expect((await call(this.runtime.awsUrl, 'POST', '/_corral/images', rule)).status).toBe(200);
    this.images.push(rule);
  }

  /** Creates a job now; answers its anchor (rate ticks are anchor + k × period). */
  async createJob(name: string, spec: Record<string, unknown>): Promise<number> {
    const created = await call(this.runtime.apiUrl, 'PUT', `/jobs/${name}`, spec);
    expect(created.status, created.text).toBe(201);
    return this.clock.now();
  }

  /** Runs oldest first. */
  async runs(name: string): Promise<JobRun[]> {
    return (await this.runtime.jobs.listRuns(name)).reverse();
  }

  async restart(options: LocalRuntimeOptions & { downForMs?: number }): Promise<void> {
    const restartAt = this.clock.now() + (options.downForMs ?? 0);
    await this.runtime.close();
    await this.boot({ ...options, virtualStart: restartAt });
  }

  close(): Promise<void> {
    return this.runtime.close();
  }
}

describe('jobs on time, in local mode on a virtual clock', () => {
  let world: JobsWorld | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it('runs a rate(1 minute) job exactly once per tick for 10 ticks, each within a second of its tick', async () => {
    world = await JobsWorld.start();
    await world.image('every-minute:*', 'exit', { afterSeconds: 10 });
    // 20.5 s past a minute: no one-minute tick falls on these ticks, only the precise wake-ups.
    await world.runToSecond(20_500);
    const anchor = await world.createJob('every-minute', { image: 'every-minute:1', schedule: 'rate(1 minute)' });
    await world.run(10 * minute + 30_000);

    const runs = await world.runs('every-minute');
    expect(runs.map((run) => (run.tick - anchor) / minute)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const run of runs) {
      expect(run.status).toBe('Succeeded');
      expect(run.startedAt! - run.tick).toBeGreaterThanOrEqual(0);
      expect(run.startedAt! - run.tick).toBeLessThanOrEqual(1000);
      expect([...world.tasksByRun.get(`every-minute@${run.tick}`)!]).toEqual([run.taskArn]);
    }
    expect(world.tasksByRun.size).toBe(10);
    const shown = (await call(world.runtime.apiUrl, 'GET', '/jobs/every-minute')).body.status;
    expect(shown.lastRuns.every((run: any) => run.latenessSeconds <= 1)).toBe(true);
    expect(Date.parse(shown.nextRunAt)).toBe(anchor + 11 * minute);
  });

  it('a job created moments before its first tick starts on it, though the one-minute tick comes 20 s into the minute', async () => {
    // EventBridge fires the one-minute rule some seconds into the minute. Only a pass arms
    // precise wake-ups, so without one armed by the job's creation its first run would wait
    // for the tick at :20.
    world = await JobsWorld.start({ tickOffsetMs: 20_000, dispatchers: 1 });
    await world.image('nightly:*', 'exit', { afterSeconds: 5 });
    await world.runToSecond(50_000);
    await world.createJob('nightly', { image: 'nightly:1', schedule: 'cron(* * * * ? *)' });
    const tick = Math.ceil(world.clock.now() / minute) * minute;
    await world.run(tick + 15_000 - world.clock.now());

    const [run] = await world.runs('nightly');
    expect(run).toMatchObject({ tick });
    expect(run!.startedAt! - tick).toBeGreaterThanOrEqual(0);
    expect(run!.startedAt! - tick).toBeLessThanOrEqual(1000);
  });

  it("a wake-up's pass dispatches only the job whose tick it is for, not every job that ticked lately", async () => {
    world = await JobsWorld.start();
    await world.image('brief:*', 'exit', { afterSeconds: 5 });
    // 20 jobs created half a second apart: their ticks fall between :20.5 and :30.0 of a minute.
    await world.runToSecond(20_500);
    const anchors = new Map<string, number>();
    for (let i = 0; i < 20; i++) {
      anchors.set(`brief-${i}`, await world.createJob(`brief-${i}`, { image: 'brief:1', schedule: 'rate(1 minute)' }));
      await world.run(500);
    }
    // Past the one-minute tick (which visits every job), then count what the wake-ups do.
    await world.runToSecond(0);
    const claims: [string, number][] = [];
    const claim = world.runtime.jobs.claimDispatch.bind(world.runtime.jobs);
    vi.spyOn(world.runtime.jobs, 'claimDispatch').mockImplementation((lease, name) => {
      claims.push([name, world!.clock.now()]);
      return claim(lease, name);
    });
    const leases = world.runtime.reconcilerDeps.leases;
    const acquire = leases.acquire.bind(leases);
    let acquisitions = 0;
    vi.spyOn(leases, 'acquire').mockImplementation((name, ...rest) => {
      if (name === 'dispatcher') acquisitions++;
      return acquire(name, ...rest);
    });
    await world.run(35_000);

    // One dispatch a tick, at the tick, by one leader pass a tick: 20, not 1 + 2 + … + 20 = 210.
    expect(claims).toEqual([...anchors].map(([name, anchor]) => [name, anchor + minute]));
    expect(acquisitions).toBe(20);
    for (const [name, anchor] of anchors) {
      expect((await world.runs(name)).map((run) => [run.tick - anchor, run.startedAt! - run.tick])).toEqual([[minute, 0]]);
    }
  });

  it('Forbid with a 90 s job skips exactly the ticks that overlap a run', async () => {
    world = await JobsWorld.start();
    await world.image('ninety:*', 'exit', { afterSeconds: 90 });
    await world.runToSecond(20_500);
    const anchor = await world.createJob('ninety', { image: 'ninety:1', schedule: 'rate(1 minute)', concurrencyPolicy: 'Forbid' });
    await world.run(6 * minute + 95_000);

    const runs = await world.runs('ninety');
    // Each run ends 90 s after its tick: the next tick finds it active, the one after does not.
    expect(runs.map((run) => [(run.tick - anchor) / minute, run.status])).toEqual([
      [1, 'Succeeded'], [2, 'Skipped'], [3, 'Succeeded'], [4, 'Skipped'], [5, 'Succeeded'], [6, 'Skipped'], [7, 'Running'],
    ]);
    expect(runs.filter((run) => run.status === 'Succeeded').every((run) => run.durationSeconds === 90 && run.startedAt === run.tick)).toBe(true);
    expect(runs[1].stoppedReason).toContain('concurrencyPolicy Forbid');
  });

  it("records a run's outcome from the task's own state change, before any dispatcher pass", async () => {
    world = await JobsWorld.start();
    await world.image('crash:*', 'crash', { afterSeconds: 5, exitCode: 3 });
    await world.runToSecond(20_500);
    const anchor = await world.createJob('crash', { image: 'crash:1', schedule: 'rate(10 minutes)' });
    const tick = anchor + 10 * minute;
    await world.run(10 * minute + 1_000);
    expect((await world.runs('crash'))[0]).toMatchObject({ tick, status: 'Running' });

    // Play time forward only until the task's STOPPED event has been handled.
    const stopped = await world.runtime.bus.runUntil(world.clock, () => world!.events.some((e) => e.lastStatus === 'STOPPED'), minute);
    expect(stopped).toBe(true);
    await world.runtime.bus.idle();
    const stoppedAt = world.events.find((e) => e.lastStatus === 'STOPPED')!.at;
    expect(world.clock.now()).toBe(stoppedAt);
    expect(stoppedAt - tick).toBe(5_000);
    const [run] = await world.runs('crash');
    expect(run).toMatchObject({ status: 'Failed', exitCode: 3, durationSeconds: 5, stoppedReason: 'Essential container in task exited' });
    const shown = (await call(world.runtime.apiUrl, 'GET', '/jobs/crash')).body.status;
    expect(shown).toMatchObject({ activeRuns: 0, lastRuns: [{ status: 'Failed', exitCode: 3, latenessSeconds: 0 }] });
  });

  it('after an outage runs one catch-up within startingDeadlineSeconds and records the rest as Missed', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'corral-jobs-'));
    world = await JobsWorld.start({ dataDir });
    await world.image('batch:*', 'exit', { afterSeconds: 10 });
    await world.runToSecond(20_500);
    const anchor = await world.createJob('lenient', { image: 'batch:1', schedule: 'rate(5 minutes)', startingDeadlineSeconds: 240 });
    await world.createJob('strict', { image: 'batch:1', schedule: 'rate(5 minutes)', startingDeadlineSeconds: 60 });
    await world.run(6 * minute);
    // Local mode is down from 6 to 17 minutes: the ticks at 10 and 15 pass unseen.
    await world.restart({ dataDir, downForMs: 11 * minute });
    await world.run(5 * minute);

    const lenient = await world.runs('lenient');
    expect(lenient.map((run) => [(run.tick - anchor) / minute, run.status])).toEqual([[5, 'Succeeded'], [10, 'Missed'], [15, 'Succeeded'], [20, 'Succeeded']]);
    expect(lenient[1].stoppedReason).toContain('only the newest missed tick runs');
    // The catch-up started as local mode came back, 2 minutes after its tick; the next on time.
    expect(lenient[2].startedAt! - lenient[2].tick).toBe(2 * minute);
    expect(lenient[3].startedAt).toBe(lenient[3].tick);

    const strict = await world.runs('strict');
    expect(strict.map((run) => [(run.tick - anchor) / minute, run.status])).toEqual([[5, 'Succeeded'], [10, 'Missed'], [15, 'Missed'], [20, 'Succeeded']]);
    expect(strict[2].stoppedReason).toBe('not started: the dispatcher reached this tick 120 s after it, past startingDeadlineSeconds (60)');
    // One task per started run; none for a Missed tick.
    const started = [...world.tasksByRun.keys()].sort();
    expect(started).toEqual([
      ...[5, 15, 20].map((k) => `lenient@${anchor + k * minute}`),
      ...[5, 20].map((k) => `strict@${anchor + k * minute}`),
    ].sort());
  });

  it('over 30 ticks with failovers, killed dispatchers and restarts, runs every tick at most once and misses none without a record', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'corral-jobs-'));
    world = await JobsWorld.start({ dataDir });
    const random = seededRandom(15);
    await world.image('chaos:*', 'exit', { afterSeconds: 20 });
    await world.runToSecond(20_500);
    const anchor = await world.createJob('chaos', { image: 'chaos:1', schedule: 'rate(1 minute)', concurrencyPolicy: 'Allow' });
    const seen = new Map<number, JobRun>();
    const note = async () => {
      for (const run of await world!.runs('chaos')) seen.set(run.tick, run);
    };
    const scheduled: ScheduledEvent = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} } as ScheduledEvent;
    const actions = { failover: 0, killed: 0, restarts: 0 };

    while (world.clock.now() < anchor + 30 * minute) {
      const roll = random();
      if (roll < 0.15) {
        // A restart of local mode, down for up to 90 s.
        actions.restarts++;
        await world.restart({ dataDir, downForMs: Math.floor(random() * 90_000) });
      } else if (roll < 0.35) {
        // A dispatcher that dies after a few AWS calls, holding the lease and leaving its work half done.
        actions.killed++;
        const killed = killableDispatcher(world.runtime, Math.floor(random() * 40));
        await killed.handler({ ...scheduled, time: new Date(world.clock.now()).toISOString() }).catch(() => undefined);
        killed.close();
      } else if (roll < 0.55) {
        // Two execution environments at once: a new leader contends with the current one.
        actions.failover++;
        const event = { ...scheduled, time: new Date(world.clock.now()).toISOString() };
        await Promise.all([world.runtime.createDispatcher()(event), world.runtime.createDispatcher()(event)]);
      }
      await world.run(Math.floor(random() * 70_000) + 5_000);
      await note();
    }
    await world.run(2 * minute);
    await note();

    expect(actions.restarts).toBeGreaterThan(0);
    expect(actions.killed).toBeGreaterThan(0);
    expect(actions.failover).toBeGreaterThan(0);
    const lastTick = Math.floor((world.clock.now() - anchor - minute) / minute);
    for (let k = 1; k <= lastTick; k++) {
      const run = seen.get(anchor + k * minute);
      expect(run, `tick ${k} has a record`).toBeDefined();
      expect(['Succeeded', 'Missed', 'Failed']).toContain(run!.status);
      if (run!.status !== 'Succeeded') expect(run!.stoppedReason, `tick ${k}`).toBeTruthy();
      // A Failed run is one whose task a restart took away (simulated tasks do not survive it).
      if (run!.status === 'Failed') expect(run!.stoppedReason).toContain('no longer known to ECS');
    }
    expect([...seen.keys()].every((tick) => (tick - anchor) % minute === 0)).toBe(true);
    for (const [run, tasks] of world.tasksByRun) expect(tasks.size, run).toBe(1);
    for (const run of seen.values()) {
      if (run.taskArn !== undefined) expect([...world.tasksByRun.get(`chaos@${run.tick}`)!]).toEqual([run.taskArn]);
    }
    expect([...seen.values()].filter((run) => run.status === 'Succeeded').length).toBeGreaterThan(15);
  }, 60_000);
});
