import type { ObservedTask } from './container-runtime.js';

/** Stopped tasks remembered at most; beyond it the longest-remembered go first. */
const defaultCapacity = 20_000;
/**
 * ECS lists a stopped task for about an hour; one stopped longer than this before the latest
 * stop seen will not be asked about again. (Relative to the tasks' own stop times, so the memory
 * needs no clock: nobody asks about a task that ECS no longer lists and no status still names.)
 */
const retentionMs = 2 * 60 * 60_000;

/**
 * Tasks already seen STOPPED. A stopped task never changes again (its stop code, exit code and
 * times are final) yet ECS keeps listing it for an hour or so: describing it on every sweep would
 * spend the task read budget on what is already known. Whatever the memory lacks (a cold start,
 * an evicted task) is simply described again.
 */
export class StoppedTaskMemory {
  private readonly tasks = new Map<string, ObservedTask>();
  private latestStop = 0;

  constructor(private readonly capacity = defaultCapacity) {}

  /** The remembered ones among `arns`, and the ones left to describe. */
  recall(arns: readonly string[]): { known: ObservedTask[]; unknown: string[] } {
    const known: ObservedTask[] = [];
    const unknown: string[] = [];
    for (const arn of arns) {
      const task = this.tasks.get(arn);
      if (task) known.push(task);
      else unknown.push(arn);
    }
    return { known, unknown };
  }

  has(taskArn: string): boolean {
    return this.tasks.has(taskArn);
  }

  /** Keeps the STOPPED ones among freshly described `tasks`. */
  remember(tasks: readonly ObservedTask[]): void {
    for (const task of tasks) {
      if (task.lastStatus !== 'STOPPED' || this.tasks.has(task.taskArn)) continue;
      this.tasks.set(task.taskArn, task);
      this.latestStop = Math.max(this.latestStop, task.stoppedAt ?? 0);
      if (this.tasks.size > this.capacity) this.tasks.delete(this.tasks.keys().next().value!);
    }
    // Remembered in about the order they stopped: the long-stopped ones are at the front.
    for (const [arn, task] of this.tasks) {
      if ((task.stoppedAt ?? 0) >= this.latestStop - retentionMs) break;
      this.tasks.delete(arn);
    }
  }

  get size(): number {
    return this.tasks.size;
  }
}
