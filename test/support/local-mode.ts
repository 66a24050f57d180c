import type { EventBridgeEvent } from 'aws-lambda';
import { startLocalRuntime, zeroDelays, type LocalRuntime, type LocalRuntimeOptions } from '../../lib/local/runtime.js';
import type { VirtualClock } from '../../lib/local/virtual-clock.js';
import { EcsContainerRuntime } from '../../lib/aws/ecs-runtime.js';
import type { ObservedTask } from '../../lib/aws/container-runtime.js';
import { call } from './http.js';

export interface TestRuntime extends LocalRuntime {
  clock: VirtualClock;
  /** Advances virtual time, letting every handler, timer and task transition play out. */
  run(ms: number): Promise<void>;
  /** Advances until `predicate` holds (checked after each settled step); false if `maxMs` passed first. */
  until(predicate: () => Promise<boolean> | boolean, maxMs?: number): Promise<boolean>;
  /** Tasks started for a service (RUNNING and recently STOPPED), through the ECS API. */
  tasks(service: string): Promise<ObservedTask[]>;
  /** Tasks of a service that are not STOPPED and not being stopped. */
  liveTasks(service: string): Promise<ObservedTask[]>;
  /** Sets how tasks of an image behave (`POST /_corral/images`). */
  setImage(rule: Record<string, unknown>): Promise<void>;
  setFaults(faults: Record<string, unknown>): Promise<void>;
  /** Every ECS task state change seen, in order. */
  watcher: TaskWatcher;
}

/** Local mode on free ports, a virtual clock and zero simulated ECS delays. */
export async function startTestRuntime(options: LocalRuntimeOptions = {}): Promise<TestRuntime> {
  const runtime = await startLocalRuntime({ apiPort: 0, awsPort: 0, virtualTime: true, delays: zeroDelays, ...options });
  const clock = runtime.clock as VirtualClock;
  const ecs = new EcsContainerRuntime(runtime.clients.ecs, { cluster: runtime.clusterName, subnets: [], securityGroups: [] });
  const watcher = new TaskWatcher();
  runtime.bus.subscribe({ source: ['aws.ecs'], 'detail-type': ['ECS Task State Change'] }, (event: EventBridgeEvent<string, TaskChange>) => {
    watcher.record(event.detail);
  });
  const control = async (path: string, body: Record<string, unknown>) => {
    const response = await fetch(`${runtime.awsUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  };
  return Object.assign(runtime, {
    clock,
    watcher,
    run: (ms: number) => runtime.bus.runFor(clock, ms),
    until: async (predicate: () => Promise<boolean> | boolean, maxMs = 600_000) => {
      const step = 1_000;
      for (let elapsed = 0; elapsed <= maxMs; elapsed += step) {
        await runtime.bus.idle();
        if (await predicate()) return true;
        await runtime.bus.runFor(clock, step);
      }
      return false;
    },
    tasks: (service: string) => ecs.observe(`corral/${service}`),
    liveTasks: async (service: string) => (await ecs.observe(`corral/${service}`)).filter((t) => t.lastStatus !== 'STOPPED' && t.desiredStatus !== 'STOPPED'),
    setImage: (rule: Record<string, unknown>) => control('/_corral/images', rule),
    setFaults: (faults: Record<string, unknown>) => control('/_corral/faults', faults),
  });
}

interface TaskChange {
  taskArn: string;
  lastStatus: string;
  desiredStatus: string;
  startedBy?: string;
  taskDefinitionArn: string;
}

/**
 * Follows every task's lifecycle from the ECS events, so tests can check bounds at every change
 * rather than at sample points.
 */
export class TaskWatcher {
  readonly tasks = new Map<string, TaskChange>();
  private readonly checks: ((tasks: TaskChange[]) => void)[] = [];
  readonly violations: string[] = [];

  record(change: TaskChange): void {
    this.tasks.set(change.taskArn, change);
    const all = [...this.tasks.values()];
    for (const check of this.checks) {
      try {
        check(all);
      } catch (error) {
        this.violations.push((error as Error).message);
      }
    }
  }

  /** Runs `check` after every change; a throw is recorded as a violation. */
  onChange(check: (tasks: TaskChange[]) => void): void {
    this.checks.push(check);
  }

  /** Records a violation whenever `service` has more than `ceiling` tasks not STOPPED or fewer than `floor` running. */
  guardBounds(service: string, ceiling: number, floor: number): void {
    this.onChange((tasks) => {
      const notStopped = TaskWatcher.notStopped(tasks, service).length;
      const running = TaskWatcher.running(tasks, service).length;
      if (notStopped > ceiling) throw new Error(`${notStopped} tasks not stopped, above ${ceiling}`);
      if (running < floor) throw new Error(`${running} tasks running, below ${floor}`);
    });
  }

  /** Tasks of a service that are not yet STOPPED (what the surge bound counts). */
  static notStopped(tasks: TaskChange[], service: string): TaskChange[] {
    return tasks.filter((t) => t.startedBy === `corral/${service}` && t.lastStatus !== 'STOPPED');
  }

  /** Tasks of a service RUNNING and not being stopped. */
  static running(tasks: TaskChange[], service: string): TaskChange[] {
    return tasks.filter((t) => t.startedBy === `corral/${service}` && t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING');
  }
}

export async function getService(runtime: LocalRuntime, name: string) {
  return (await call(runtime.apiUrl, 'GET', `/services/${name}`)).body;
}

export async function events(runtime: LocalRuntime, name: string): Promise<{ type: string; message: string; time: string }[]> {
  return (await call(runtime.apiUrl, 'GET', `/services/${name}/events`)).body.events;
}
