import type { TaskRecord } from './task-record.js';

/** Tasks in launch order (by `sequence`), for ListTasks pages without a scan of every task. */
class LaunchOrder {
  readonly tasks: TaskRecord[] = [];

  insert(task: TaskRecord): void {
    this.tasks.splice(this.firstAfter(task.sequence - 1), 0, task);
  }

  delete(task: TaskRecord): void {
    const at = this.firstAfter(task.sequence - 1);
    if (this.tasks[at] === task) this.tasks.splice(at, 1);
  }

  /** Index of the first task whose sequence is above `sequence`. */
  firstAfter(sequence: number): number {
    let low = 0;
    let high = this.tasks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.tasks[middle].sequence <= sequence) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/**
 * The local ECS's task index: per cluster and desired status, and per `startedBy` within those,
 * the tasks in launch order. ListTasks reads the one list its filters name, so listing a
 * service's running tasks costs that service's tasks, not the cluster's (stopped ones included).
 */
export class TaskIndex {
  private readonly lists = new Map<string, LaunchOrder>();
  /** The desired status each task is filed under. */
  private readonly filed = new Map<TaskRecord, TaskRecord['desiredStatus']>();

  /** Files a new task, or moves one whose desired status changed. */
  update(task: TaskRecord): void {
    const filedAs = this.filed.get(task);
    if (filedAs === task.desiredStatus) return;
    if (filedAs !== undefined) this.unfile(task, filedAs);
    for (const key of keysOf(task, task.desiredStatus)) this.list(key).insert(task);
    this.filed.set(task, task.desiredStatus);
  }

  remove(task: TaskRecord): void {
    const filedAs = this.filed.get(task);
    if (filedAs !== undefined) this.unfile(task, filedAs);
    this.filed.delete(task);
  }

  /**
   * Up to `max` tasks after `afterSequence` that pass `matches`, in launch order, and whether
   * more follow.
   */
  page(
    filter: { clusterArn: string; desiredStatus: string; startedBy?: string },
    afterSequence: number,
    max: number,
    matches: (task: TaskRecord) => boolean,
  ): { tasks: TaskRecord[]; more: boolean } {
    const list = this.lists.get(keyOf(filter.clusterArn, filter.desiredStatus, filter.startedBy));
    const tasks: TaskRecord[] = [];
    if (!list) return { tasks, more: false };
    for (let i = list.firstAfter(afterSequence); i < list.tasks.length; i++) {
      const task = list.tasks[i];
      if (!matches(task)) continue;
      if (tasks.length === max) return { tasks, more: true };
      tasks.push(task);
    }
    return { tasks, more: false };
  }

  /** The tasks of a cluster desired RUNNING (every task not yet stopping). */
  desiredRunning(clusterArn: string): readonly TaskRecord[] {
    return this.lists.get(keyOf(clusterArn, 'RUNNING'))?.tasks ?? [];
  }

  private unfile(task: TaskRecord, desiredStatus: string): void {
    for (const key of keysOf(task, desiredStatus)) {
      const list = this.lists.get(key);
      list?.delete(task);
      if (list?.tasks.length === 0) this.lists.delete(key);
    }
  }

  private list(key: string): LaunchOrder {
    let list = this.lists.get(key);
    if (!list) this.lists.set(key, (list = new LaunchOrder()));
    return list;
  }
}

function keysOf(task: TaskRecord, desiredStatus: string): string[] {
  const keys = [keyOf(task.clusterArn, desiredStatus)];
  if (task.startedBy !== undefined) keys.push(keyOf(task.clusterArn, desiredStatus, task.startedBy));
  return keys;
}

function keyOf(clusterArn: string, desiredStatus: string, startedBy?: string): string {
  return startedBy === undefined ? `${clusterArn}|${desiredStatus}` : `${clusterArn}|${desiredStatus}|${startedBy}`;
}
