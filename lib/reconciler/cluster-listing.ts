import { maxTasksPerCall, type ContainerRuntime, type ObservedTask as EcsTask } from '../aws/container-runtime.js';
import { ContainerRuntimeError, ThrottledError } from '../aws/ecs-errors.js';
import type { SweepPosition } from '../aws/sweep-progress.js';


export interface ListingStep {
  /** Listed tasks no status knew, described, by `startedBy` (tasks nobody named are left out). */
  strangers: Map<string, EcsTask[]>;
  /** Where the listing stands for the next sweep; undefined once a whole pass is done. */
  position?: SweepPosition['listing'];
  /** Pages listed this sweep. */
  pages: number;
  /** ECS throttled a call: the sweep backs off. */
  throttled?: boolean;
  /** ECS refused the stored page token (too old, say): the next sweep starts a new pass. */
  restarted?: boolean;
}

/**
 * Goes on with the cluster listing — RUNNING, then STOPPED, 100 ARNs a page — for as many pages
 * as `budget` allows, from `position`. It looks for what the statuses' known sets cannot show:
 * orphans (tasks of a service that no longer exists) and tasks of a service that its status
 * never recorded. Only ARNs nobody knew are described. A page is taken as done only with its
 * strangers described, so a listing the budget or ECS cuts short resumes at that page. A small
 * fleet lists its whole cluster every sweep; a large one goes on where it stopped, a share of
 * each sweep's budget at a time (sweep.ts).
 *
 * A task's desired status only goes RUNNING → STOPPED, so a task that existed before the pass
 * began is on a RUNNING page or a STOPPED one (on both if it stopped in between).
 */
export async function continueListing(
  runtime: ContainerRuntime,
  take: (calls: number) => Promise<boolean>,
  position: SweepPosition['listing'],
  isKnown: (taskArn: string) => boolean,
): Promise<ListingStep> {
  const strangers = new Map<string, EcsTask[]>();
  let at: NonNullable<SweepPosition['listing']> = position ?? { desiredStatus: 'RUNNING' };
  let pages = 0;
  try {
    for (;;) {
      if (!(await take(1))) return { strangers, position: at, pages };
      const page = await runtime.listTaskPage({ desiredStatus: at.desiredStatus }, at.nextToken);
      pages++;
      const unknown = page.taskArns.filter((arn) => !isKnown(arn) && !runtime.remembersStopped(arn));
      if (!(await take(Math.ceil(unknown.length / maxTasksPerCall)))) return { strangers, position: at, pages };
      for (const task of await runtime.describeTasks(unknown)) {
        if (task.startedBy === undefined) continue;
        const group = strangers.get(task.startedBy);
        if (group) group.push(task);
        else strangers.set(task.startedBy, [task]);
      }
      if (page.nextToken !== undefined) at = { desiredStatus: at.desiredStatus, nextToken: page.nextToken };
      else if (at.desiredStatus === 'RUNNING') at = { desiredStatus: 'STOPPED' };
      else return { strangers, pages };
    }
  } catch (error) {
    if (error instanceof ThrottledError) return { strangers, position: at, pages, throttled: true };
    if (error instanceof ContainerRuntimeError && error.operation === 'ListTasks' && at.nextToken !== undefined) return { strangers, pages, restarted: true };
    throw error;
  }
}
