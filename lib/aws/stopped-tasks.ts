import type { ObservedTask } from './container-runtime.js';

/** Stopped tasks remembered at most; beyond it the longest-remembered go first. */
const defaultCapacity = 50_000;

/**
 * Tasks already seen STOPPED. A stopped task never changes again (its stop code, exit code and
 * times are final) yet ECS keeps listing it for an hour or so: describing it on every sweep would
 * spend the task read budget on what is already known. Whatever the memory lacks (a cold start,
 * an evicted task) is simply described again.
 */
export class StoppedTaskMemory {
  private readonly tasks = new Map<string, ObservedTask>();

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

  /** Keeps the STOPPED ones among freshly described `tasks`. */
  remember(tasks: readonly ObservedTask[]): void {
    for (const task of tasks) {
      if (task.lastStatus !== 'STOPPED' || this.tasks.has(task.taskArn)) continue;
      this.tasks.set(task.taskArn, task);
      if (this.tasks.size > this.capacity) this.tasks.delete(this.tasks.keys().next().value!);
    }
  }

  /** Forgets every task not in `listed`: ECS no longer lists it, so it will not be asked about. */
  keepOnly(listed: ReadonlySet<string>): void {
    for (const arn of this.tasks.keys()) if (!listed.has(arn)) this.tasks.delete(arn);
  }

  get size(): number {
    return this.tasks.size;
  }
}
