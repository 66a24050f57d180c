import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../clock.js';
import { imageBehaviorDefaults } from '../faults.js';
import type { TaskDelays } from '../options.js';
import { healthTimeline, taskHealth } from './health.js';
import type { ContainerRecord, TaskRecord } from './task-record.js';

export interface TaskLifecycleHooks {
  /** Called after every change a task state change event reports (version already bumped). */
  changed(task: TaskRecord): void;
  /** Called when a stopped task's retention ends and it should vanish. */
  expired(task: TaskRecord): void;
  /**
   * Reads a container's secret (`valueFrom`) with the task's execution role, as the agent does
   * before pulling images: undefined when it can, else the Secrets Manager error.
   */
  secretReadError(valueFrom: string, executionRoleArn: string | undefined): string | undefined;
  /** A line of a container's output: its start, health changes and exit, as a real one would log. */
  logged(task: TaskRecord, container: ContainerRecord, message: string): void;
}

/**
 * Moves simulated tasks through PROVISIONING → PENDING → RUNNING → STOPPING → DEPROVISIONING →
 * STOPPED on the clock, applying each container's image behaviour (slow start, pull error, crash,
 * exit, unhealthy) and health check. Every status change bumps `version` and calls `changed`;
 * health changes only update the task (ECS sends no state change event for them).
 */
export class TaskLifecycle {
  constructor(
    private readonly clock: Clock,
    private readonly delays: TaskDelays,
    private readonly hooks: TaskLifecycleHooks,
  ) {}

  launch(task: TaskRecord): void {
    this.announce(task);
    this.after(task, this.delays.provisioningMs, () => this.pending(task));
  }

  /** StopTask, or anything else that ends a task early: idempotent once the task is stopping. */
  stop(task: TaskRecord, stopCode: string, reason: string): void {
    if (task.desiredStatus === 'STOPPED') return;
    this.beginStopping(task, stopCode, reason);
  }

  private pending(task: TaskRecord): void {
    const now = this.clock.now();
    task.lastStatus = 'PENDING';
    task.pullStartedAt = now;
    this.announce(task);
    const slowStart = Math.max(
      0,
      ...task.containers.map((c) =>
        c.behavior.behavior === 'slow-start' ? (c.behavior.afterSeconds ?? imageBehaviorDefaults.slowStart.afterSeconds) * 1000 : 0,
      ),
    );
    this.after(task, this.delays.pendingMs + slowStart, () => this.pulled(task));
  }

  private pulled(task: TaskRecord): void {
    const now = this.clock.now();
    task.pullStoppedAt = now;
    const secretFailure = this.secretFailure(task);
    if (secretFailure) {
      this.beginStopping(task, 'TaskFailedToStart', secretFailure);
      return;
    }
    const unpullable = task.containers.find((c) => c.behavior.behavior === 'pull-error');
    if (unpullable) {
      // What Fargate reports when an image cannot be pulled: the task never starts.
      const reason =
        `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ` +
        `${qualifiedImage(unpullable.image)}: not found`;
      unpullable.reason = reason;
      this.beginStopping(task, 'TaskFailedToStart', reason);
      return;
    }
    task.lastStatus = 'RUNNING';
    task.startedAt = now;
    task.connectivityAt = now;
    for (const container of task.containers) {
      container.lastStatus = 'RUNNING';
      container.runtimeId = `${task.id}-${randomUUID().slice(0, 8)}`;
      this.hooks.logged(task, container, `container ${container.name} started from image ${container.image}`);
      this.scheduleHealth(task, container);
      this.scheduleExit(task, container);
    }
    this.announce(task);
  }

  /** What Fargate reports when a container's secret cannot be fetched: the task never starts. */
  private secretFailure(task: TaskRecord): string | undefined {
    const executionRoleArn = task.taskDefinition.rest.executionRoleArn as string | undefined;
    for (const container of task.taskDefinition.containerDefinitions) {
      for (const { valueFrom } of (container.secrets ?? []) as { valueFrom: string }[]) {
        const error = this.hooks.secretReadError(valueFrom, executionRoleArn);
        if (error === undefined) continue;
        return (
          'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: ' +
          'unable to retrieve secret from asm: service call has been retried 5 time(s): ' +
          `failed to fetch secret ${valueFrom} from secrets manager: ${error}`
        );
      }
    }
    return undefined;
  }

  private scheduleHealth(task: TaskRecord, container: ContainerRecord): void {
    if (!container.healthCheck) return;
    const failsAfter =
      container.behavior.behavior === 'unhealthy' ? (container.behavior.afterSeconds ?? 0) : undefined;
    for (const transition of healthTimeline(container.healthCheck, failsAfter)) {
      this.after(task, transition.afterMs, () => {
        if (container.lastStatus !== 'RUNNING') return;
        if (container.healthStatus !== transition.status) this.hooks.logged(task, container, `health check: ${transition.status}`);
        container.healthStatus = transition.status;
        task.healthStatus = taskHealth(task.containers.map((c) => ({ ...c, hasHealthCheck: c.healthCheck !== undefined })));
      });
    }
  }

  private scheduleExit(task: TaskRecord, container: ContainerRecord): void {
    const kind = container.behavior.behavior;
    if (kind !== 'crash' && kind !== 'exit') return;
    const defaults = kind === 'crash' ? imageBehaviorDefaults.crash : imageBehaviorDefaults.exit;
    const afterMs = (container.behavior.afterSeconds ?? defaults.afterSeconds) * 1000;
    const exitCode = container.behavior.exitCode ?? defaults.exitCode;
    this.after(task, afterMs, () => {
      container.lastStatus = 'STOPPED';
      container.exitCode = exitCode;
      this.hooks.logged(task, container, `container ${container.name} exited with code ${exitCode}`);
      if (container.essential) {
        this.beginStopping(task, 'EssentialContainerExited', 'Essential container in task exited');
      } else {
        this.announce(task);
      }
    });
  }

  private beginStopping(task: TaskRecord, stopCode: string, reason: string): void {
    this.cancelTimers(task);
    const now = this.clock.now();
    task.desiredStatus = 'STOPPED';
    task.lastStatus = 'STOPPING';
    task.stoppingAt = now;
    task.stopCode = stopCode;
    task.stoppedReason = reason;
    this.announce(task);
    this.after(task, this.delays.stoppingMs, () => this.deprovisioning(task));
  }

  private deprovisioning(task: TaskRecord): void {
    const now = this.clock.now();
    for (const container of task.containers) {
      // A container that was running exits on SIGTERM; one that never started has no exit code.
      if (container.lastStatus === 'RUNNING') {
        container.exitCode = 0;
        this.hooks.logged(task, container, `received SIGTERM (${task.stoppedReason ?? 'stopped'}); container ${container.name} exited with code 0`);
      }
      container.lastStatus = 'STOPPED';
      container.healthStatus = 'UNKNOWN';
    }
    task.healthStatus = 'UNKNOWN';
    task.executionStoppedAt = now;
    task.lastStatus = 'DEPROVISIONING';
    this.announce(task);
    this.after(task, this.delays.deprovisioningMs, () => this.stopped(task));
  }

  private stopped(task: TaskRecord): void {
    task.lastStatus = 'STOPPED';
    task.stoppedAt = this.clock.now();
    this.announce(task);
    this.after(task, this.delays.stoppedRetentionMs, () => this.hooks.expired(task));
  }

  private announce(task: TaskRecord): void {
    task.version++;
    this.hooks.changed(task);
  }

  private after(task: TaskRecord, ms: number, fn: () => void): void {
    const timer = this.clock.setTimeout(() => {
      task.timers = task.timers.filter((t) => t !== timer);
      fn();
    }, ms);
    task.timers.push(timer);
  }

  private cancelTimers(task: TaskRecord): void {
    for (const timer of task.timers) this.clock.clearTimeout(timer);
    task.timers = [];
  }
}

/** "nginx:1" → "docker.io/library/nginx:1", as the pull error names it. */
function qualifiedImage(image: string): string {
  const withTag = /:[^/]+$/.test(image) || image.includes('@') ? image : `${image}:latest`;
  if (!withTag.includes('/')) return `docker.io/library/${withTag}`;
  const registry = withTag.split('/')[0];
  return registry.includes('.') || registry.includes(':') || registry === 'localhost' ? withTag : `docker.io/${withTag}`;
}
