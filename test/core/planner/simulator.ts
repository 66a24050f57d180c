import { plan } from '../../../lib/core/planner/index.js';
import type { Desired, ObservedTask, Plan, PlannerSpec, ServiceStatus } from '../../../lib/core/planner/index.js';
import type { AlarmReading } from '../../../lib/core/planner/alarm-gate.js';

/** How tasks of a revision behave once RUNNING. */
export type Behavior = 'healthy' | 'unhealthy' | 'crash';

/** A task in the simulated ECS, with what the test knows that ECS does not show. */
interface SimTask extends ObservedTask {
  pendingStopReason?: string;
}

export const T0 = 1_800_000_000_000;

export function makeSpec(overrides: Partial<PlannerSpec> = {}): PlannerSpec {
  return {
    replicas: 3,
    strategy: 'RollingUpdate',
    maxSurge: 1,
    maxUnavailable: 0,
    minHealthySeconds: 10,
    progressDeadlineSeconds: 600,
    failureThreshold: 3,
    autoRollback: true,
    hasHealthCheck: true,
    ...overrides,
  };
}

/** One plan with the world as the planner saw it. */
export interface Step {
  plan: Plan;
  /** The wish the plan was made for. */
  desired: Desired;
  before: readonly ObservedTask[];
  after: readonly ObservedTask[];
  now: number;
}

/**
 * A small ECS: tasks move PROVISIONING → PENDING → RUNNING → (health) and, once asked to stop or
 * when they crash, → STOPPED, one transition per `progress` call, so a test (or fast-check)
 * decides the order and timing of every event. Each `reconcile` runs the real planner on a
 * snapshot and applies its plan as the shell would.
 */
export class FleetSimulator {
  now = T0;
  tasks: SimTask[] = [];
  status: ServiceStatus | undefined;
  desired: Desired;
  behaviors = new Map<number, Behavior>();
  steps: Step[] = [];
  /** What a DescribeAlarms of the spec's alarms would answer now. */
  alarms: AlarmReading | undefined;
  private nextId = 0;

  constructor(spec: PlannerSpec, revision = 1) {
    this.desired = { name: 'web', generation: 1, spec, revision, paused: false, deleting: false };
  }

  behavior(revision: number): Behavior {
    return this.behaviors.get(revision) ?? 'healthy';
  }

  /** Change the user's wish (a new generation). */
  update(change: Partial<Omit<Desired, 'spec'>> & { spec?: Partial<PlannerSpec> }): void {
    const { spec, ...rest } = change;
    // As the store does (service-specs.ts freshRollout, planner-input.ts): a new revision starts
    // without the promotions and the abort of the rollout before it, so a promote made while
    // stable does not skip the new rollout's steps.
    const fresh = rest.revision !== undefined && rest.revision !== this.desired.revision ? { promotion: undefined, aborted: undefined } : {};
    this.desired = {
      ...this.desired,
      ...fresh,
      ...rest,
      spec: { ...this.desired.spec, ...spec },
      generation: this.desired.generation + 1,
    };
  }

  /** What ListTasks + DescribeTasks would return now. */
  snapshot(): ObservedTask[] {
    return this.visible().map(({ pendingStopReason: _, ...task }) => ({ ...task }));
  }

  reconcile(): Plan {
    const before = this.snapshot();
    const result = plan(this.desired, { tasks: before, status: this.status, ...(this.alarms ? { alarms: this.alarms } : {}) }, this.now);
    for (const stop of result.stop) {
      const task = this.tasks.find((t) => t.taskArn === stop.taskArn);
      if (!task) throw new Error(`planner stopped an unknown task ${stop.taskArn}`);
      if (task.lastStatus !== 'STOPPED') {
        task.desiredStatus = 'STOPPED';
        task.pendingStopReason = stop.reason;
      }
    }
    for (const start of result.start) {
      this.tasks.push({
        taskArn: `arn:aws:ecs:us-east-1:123456789012:task/corral/t${this.nextId++}`,
        revision: start.revision,
        slot: start.slot,
        lastStatus: 'PROVISIONING',
        desiredStatus: 'RUNNING',
        healthStatus: 'UNKNOWN',
        createdAt: this.now,
      });
    }
    this.status = result.status;
    this.steps.push({ plan: result, desired: this.desired, before, after: this.snapshot(), now: this.now });
    return result;
  }

  /** `POST /services/{name}/promote` (`{"full": true}` with `full`). */
  promote(full = false): void {
    const count = (this.desired.promotion?.count ?? 0) + 1;
    this.update({ promotion: { count, fullCount: full ? count : (this.desired.promotion?.fullCount ?? 0) } });
  }

  advance(ms: number): void {
    this.now += ms;
  }

  /** Tasks ECS would still list: not STOPPED, or STOPPED within the last hour. */
  visible(): SimTask[] {
    return this.tasks.filter((t) => t.lastStatus !== 'STOPPED' || this.now - (t.stoppedAt ?? 0) < 3_600_000);
  }

  /** One lifecycle transition of task `index` (modulo the tasks not yet STOPPED); false if none left. */
  progress(index: number): boolean {
    const active = this.tasks.filter((t) => t.lastStatus !== 'STOPPED');
    if (active.length === 0) return false;
    this.progressTask(active[index % active.length]);
    return true;
  }

  private progressTask(task: SimTask): void {
    if (task.desiredStatus === 'STOPPED') {
      this.stop(task, 'UserInitiated', task.pendingStopReason ?? 'stopped');
      return;
    }
    const behavior = this.behavior(task.revision);
    const checked = this.desired.revisionSpecs?.[task.revision]?.hasHealthCheck ?? this.desired.spec.hasHealthCheck;
    switch (task.lastStatus) {
      case 'PROVISIONING':
        task.lastStatus = 'PENDING';
        return;
      case 'PENDING':
        task.lastStatus = 'RUNNING';
        task.startedAt = this.now;
        return;
      case 'RUNNING':
        if (behavior === 'crash') {
          this.stop(task, 'EssentialContainerExited', 'Essential container in task exited', 1);
        } else if (checked && task.healthStatus === 'UNKNOWN') {
          task.healthStatus = behavior === 'unhealthy' ? 'UNHEALTHY' : 'HEALTHY';
        }
        return;
    }
  }

  /** A running task's container crashes now, whatever its revision's behaviour. */
  crash(index: number): boolean {
    const running = this.tasks.filter((t) => t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING');
    if (running.length === 0) return false;
    this.stop(running[index % running.length], 'EssentialContainerExited', 'Essential container in task exited', 137);
    return true;
  }

  /** A healthy task's health check starts failing. */
  sicken(index: number): boolean {
    const healthy = this.tasks.filter((t) => t.lastStatus === 'RUNNING' && t.healthStatus === 'HEALTHY');
    if (healthy.length === 0) return false;
    healthy[index % healthy.length].healthStatus = 'UNHEALTHY';
    return true;
  }

  private stop(task: SimTask, stopCode: string, reason: string, exitCode?: number): void {
    task.lastStatus = 'STOPPED';
    task.desiredStatus = 'STOPPED';
    task.stopCode = stopCode;
    task.stoppedReason = reason;
    task.stoppedAt = this.now;
    if (exitCode !== undefined) task.exitCode = exitCode;
  }

  /** Every task (or those `which` picks) moves as far as it can: starts complete, health reports, stops finish. */
  settleTasks(which: (task: ObservedTask) => boolean = () => true): void {
    for (let round = 0; round < 4; round++) {
      for (const task of this.tasks) if (task.lastStatus !== 'STOPPED' && which(task)) this.progressTask(task);
    }
  }

  /**
   * A fair world: tasks settle, and the planner runs again 1 s later when it changed something
   * (ECS would send task events) or else when it asked to be called, until it plans nothing and
   * asks for nothing, or `maxRounds` pass.
   */
  runToQuiet(maxRounds = 400): void {
    for (let round = 0; round < maxRounds; round++) {
      this.settleTasks();
      const result = this.reconcile();
      const idle = result.start.length === 0 && result.stop.length === 0 && result.requeueAfterMs === undefined;
      const settled = this.tasks.every((t) => t.lastStatus === 'STOPPED' || t.desiredStatus === 'RUNNING');
      if (idle && settled) return;
      const acted = result.start.length > 0 || result.stop.length > 0;
      this.advance(acted ? 1_000 : (result.requeueAfterMs ?? 1_000));
    }
    throw new Error(`no quiet after ${maxRounds} rounds: ${this.status?.message}`);
  }

  /** Tasks not STOPPED, any revision. */
  notStopped(tasks: readonly ObservedTask[] = this.tasks): number {
    return tasks.filter((t) => t.lastStatus !== 'STOPPED').length;
  }

  /** Tasks holding a slot: asked to run and not STOPPED. */
  live(tasks: readonly ObservedTask[] = this.tasks, revision?: number): ObservedTask[] {
    return tasks.filter(
      (t) => t.lastStatus !== 'STOPPED' && t.desiredStatus === 'RUNNING' && (revision === undefined || t.revision === revision),
    );
  }

  /** The planner's definition of available, judged with the status it just wrote. */
  available(tasks: readonly ObservedTask[], status: ServiceStatus, now: number, desired: Desired = this.desired): ObservedTask[] {
    const minHealthyMs = desired.spec.minHealthySeconds * 1000;
    return this.live(tasks).filter((t) => {
      if (t.lastStatus !== 'RUNNING') return false;
      const checked = desired.revisionSpecs?.[t.revision]?.hasHealthCheck ?? desired.spec.hasHealthCheck;
      if (checked && t.healthStatus !== 'HEALTHY') return false;
      const since = checked ? status.healthySince[t.taskArn] : (t.startedAt ?? status.healthySince[t.taskArn]);
      return since !== undefined && since + minHealthyMs <= now;
    });
  }
}
