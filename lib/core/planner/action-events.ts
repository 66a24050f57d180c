import { STOP_REASON_PREFIX } from './defaults.js';
import type { FleetActions, StopCause } from './fleet-actions.js';
import { describeStop } from './fleet-view.js';
import type { FailureView } from './fleet-view.js';
import { plural } from './status.js';
import type { PlanEvent } from './types.js';

export interface ActionContext {
  target: number;
  replicas: number;
  /** A rollout (or rollback) is moving tasks between revisions. */
  inRollout: boolean;
  rollingBack: boolean;
  /** Tasks of the target that are live and will stay (for "3 of 5 updated"). */
  targetLive: number;
  targetAvailable: number;
}

/** Short task id: the last segment of its ARN. */
export function taskId(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}

/**
 * " (slot 2)": slots are positions 0..replicas-1 inside, shown from 1; a stopped task that sorted
 * past the live ones held no slot a user would recognise, so it gets none.
 */
function slotClause(slot: number, replicas: number): string {
  return slot < replicas ? ` (slot ${slot + 1})` : '';
}

/** StopTask's `reason` for a cause; every one starts with the prefix that marks Corral's own stops. */
export function stopReason(cause: StopCause | 'delete', ctx: { target: number; replicas: number; rollingBack: boolean }): string {
  switch (cause) {
    case 'unhealthy':
      return `${STOP_REASON_PREFIX}task UNHEALTHY, replacing it`;
    case 'scale-down':
      return `${STOP_REASON_PREFIX}scaled down to ${plural(ctx.replicas, 'task')}`;
    case 'rollout':
      return ctx.rollingBack
        ? `${STOP_REASON_PREFIX}rolling back to revision ${ctx.target}`
        : `${STOP_REASON_PREFIX}replaced by revision ${ctx.target}`;
    case 'recreate':
      return `${STOP_REASON_PREFIX}Recreate rollout to revision ${ctx.target}`;
    case 'delete':
      return `${STOP_REASON_PREFIX}service deleted`;
  }
}

/**
 * One event per failure, per replacement and per unhealthy stop; one per batch of the rest.
 * Events about starts go to `launchEvents`: they hold only once RunTask has started the tasks.
 */
export function actionEvents(actions: FleetActions, failures: FailureView[], ctx: ActionContext): { events: PlanEvent[]; launchEvents: PlanEvent[] } {
  const events: PlanEvent[] = [];
  const launchEvents: PlanEvent[] = [];
  for (const f of failures) {
    const task = f.view.task;
    events.push({
      type: 'TaskFailed',
      taskArn: task.taskArn,
      message: `Task ${taskId(task.taskArn)} of revision ${task.revision}${slotClause(task.slot, ctx.replicas)} failed: ${f.what}${f.wasAvailable ? '' : ', before becoming available'}`,
    });
  }
  const label = ctx.rollingBack ? `Rollback to revision ${ctx.target}` : `Rollout of revision ${ctx.target}`;

  let fresh = 0;
  for (const start of actions.starts) {
    if (start.replacesFailure && start.replaced) {
      const old = start.replaced.task;
      const why = !start.replaced.gone && old.healthStatus === 'UNHEALTHY' ? 'UNHEALTHY' : describeStop(old);
      launchEvents.push({
        type: 'TaskReplaced',
        taskArn: old.taskArn,
        message: `Replacing task ${taskId(old.taskArn)} (${why}): started a task of revision ${start.revision} in slot ${start.slot + 1}`,
      });
    } else {
      fresh++;
    }
  }
  if (fresh > 0) {
    launchEvents.push(
      ctx.inRollout
        ? { type: 'RolloutProgressed', message: `${label}: started ${plural(fresh, 'new task')} (${ctx.targetLive + actions.starts.length} of ${ctx.replicas} updated)` }
        : { type: 'ScaledUp', message: `Scaled up: started ${plural(fresh, 'task')} of revision ${ctx.target}` },
    );
  }

  const byCause = new Map<StopCause, number>();
  const oldRevisions = new Set<number>();
  for (const stop of actions.stops) {
    if (stop.cause === 'unhealthy') {
      const task = stop.view.task;
      events.push({
        type: 'TaskUnhealthy',
        taskArn: task.taskArn,
        message: `Task ${taskId(task.taskArn)} of revision ${task.revision}${slotClause(task.slot, ctx.replicas)} is UNHEALTHY: stopping it`,
      });
      continue;
    }
    byCause.set(stop.cause, (byCause.get(stop.cause) ?? 0) + 1);
    if (stop.cause !== 'scale-down') oldRevisions.add(stop.view.task.revision);
  }
  const revisions = [...oldRevisions].sort((a, b) => a - b).join(', ');
  const scaledDown = byCause.get('scale-down');
  if (scaledDown) {
    events.push({ type: 'ScaledDown', message: `Scaled down: stopping ${plural(scaledDown, 'task')} of revision ${ctx.target}` });
  }
  const rolled = byCause.get('rollout');
  if (rolled) {
    events.push({
      type: 'RolloutProgressed',
      message: `${label}: stopping ${plural(rolled, 'task')} of revision ${revisions} (${ctx.targetAvailable} of ${ctx.replicas} tasks of revision ${ctx.target} available)`,
    });
  }
  const recreated = byCause.get('recreate');
  if (recreated) {
    events.push({
      type: 'RolloutProgressed',
      message: `${label} (Recreate): stopping ${plural(recreated, 'task')} of revision ${revisions} before starting revision ${ctx.target}`,
    });
  }
  return { events, launchEvents };
}
