/**
 * The ECS task group of a job run, `corral-job:<job>:<tick epoch ms>`: it travels in every task
 * state change event, so an event names its run (job and tick) even before the dispatcher has
 * noted the task's ARN on the run record.
 */
const prefix = 'corral-job:';

export function jobRunGroup(job: string, tick: number): string {
  return `${prefix}${job}:${tick}`;
}

/** The job and tick a task group names, or undefined for any other group. */
export function jobRunOfGroup(group: string | undefined): { job: string; tick: number } | undefined {
  const match = group === undefined ? null : /^corral-job:([a-z0-9-]+):(\d+)$/.exec(group);
  return match === null ? undefined : { job: match[1], tick: Number(match[2]) };
}
