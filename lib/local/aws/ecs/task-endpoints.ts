import type { ProbeResult, TargetProbe } from '../elbv2/target-health.js';
import type { TaskRecord } from './task-record.js';

/**
 * What a load balancer's health check (or a request of the traffic rehearsal) finds at a task's
 * private IPv4 address. A task serves while it is RUNNING: before that nothing listens and once
 * it is stopping its containers have had SIGTERM, so the request times out. An image with the
 * `target-unhealthy` behaviour answers 503; an `unhealthy` one 500 once it starts failing.
 */
export class TaskEndpoints implements TargetProbe {
  constructor(
    private readonly tasks: () => Iterable<TaskRecord>,
    private readonly now: () => number,
  ) {}

  check(ip: string): ProbeResult {
    const task = this.taskAt(ip);
    if (!task || task.lastStatus !== 'RUNNING') return { passes: false, reason: 'Target.Timeout', taskId: task?.id };
    const essential = task.containers.filter((c) => c.essential);
    if (essential.some((c) => c.behavior.behavior === 'target-unhealthy')) {
      return { passes: false, reason: 'Target.ResponseCodeMismatch', statusCode: 503, taskId: task.id };
    }
    const failingFrom = (task.startedAt ?? 0) + 1000 * Math.min(...essential.map((c) => (c.behavior.behavior === 'unhealthy' ? (c.behavior.afterSeconds ?? 0) : Infinity)));
    if (this.now() >= failingFrom) return { passes: false, reason: 'Target.ResponseCodeMismatch', statusCode: 500, taskId: task.id };
    return { passes: true, taskId: task.id };
  }

  /** The task holding `ip`, preferring one that is not stopped (a stopped task's address may be reused). */
  private taskAt(ip: string): TaskRecord | undefined {
    let stopped: TaskRecord | undefined;
    for (const task of this.tasks()) {
      if (task.networkInterface?.privateIPv4Address !== ip) continue;
      if (task.lastStatus !== 'STOPPED') return task;
      stopped = task;
    }
    return stopped;
  }
}
