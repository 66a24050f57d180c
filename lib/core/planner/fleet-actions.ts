import type { FleetView, TaskView } from './fleet-view.js';
import { isStoppedByCorral } from './fleet-view.js';
import { canaryMove } from './canary.js';
import { rollingStep, rolloutBounds } from './rollout-bounds.js';
import type { PlannerSpec } from './types.js';

/** Why a task is stopped. */
export type StopCause = 'unhealthy' | 'scale-down' | 'rollout' | 'recreate';

export interface StopDecision {
  view: TaskView;
  cause: StopCause;
}

export interface StartDecision {
  revision: number;
  slot: number;
  /** The task this one takes over from: the slot's last task of the target revision, else the old revision's. */
  replaced?: TaskView;
  /** The replaced task failed (or was stopped outside Corral): this start is a replacement. */
  replacesFailure: boolean;
}

export interface FleetActions {
  starts: StartDecision[];
  stops: StopDecision[];
  /** Tasks of the target are missing but the crash-loop backoff holds every start. */
  heldByBackoff: boolean;
}

export interface FleetActionsInput {
  fleet: FleetView;
  spec: PlannerSpec;
  /** The revision to converge on. */
  target: number;
  /** False while the crash-loop backoff runs. */
  canStart: boolean;
  /** A canary step's task counts per revision, instead of "all on the target". */
  canaryTargets?: { newTarget: number; oldTarget: number };
}

/**
 * Start, stop and replace so the fleet moves towards `replicas` tasks of `target` within the
 * strategy's bounds. Steady state is the same code with no old tasks: missing slots start,
 * extra tasks stop, UNHEALTHY tasks stop and their slot starts again (surge room permitting).
 * Cost: one pass over the tasks, plus sorts only over tasks that must be chosen among.
 */
export function planFleetActions(input: FleetActionsInput): FleetActions {
  const { fleet, spec, target, canStart, canaryTargets } = input;
  const replicas = Math.max(0, Math.floor(spec.replicas));
  const bounds = rolloutBounds(replicas, spec.strategy, spec.maxSurge, spec.maxUnavailable);
  const stops: StopDecision[] = [];
  const newLive: TaskView[] = [];
  const oldLive: TaskView[] = [];
  let otherNotStopped = 0;
  for (const view of fleet.views) {
    if (!view.gone && view.task.revision !== target) otherNotStopped++;
    if (!view.live) continue;
    // UNHEALTHY tasks are never available, so stopping them costs no availability.
    if (view.unhealthy) stops.push({ view, cause: 'unhealthy' });
    else if (view.task.revision === target) newLive.push(view);
    else oldLive.push(view);
  }

  let kept = newLive;
  if (newLive.length > replicas) {
    const worstFirst = [...newLive].sort(compareWorstFirst(undefined));
    const extra = newLive.length - replicas;
    for (const view of worstFirst.slice(0, extra)) stops.push({ view, cause: 'scale-down' });
    kept = worstFirst.slice(extra);
  }
  let newAvailable = 0;
  for (const view of kept) if (view.available) newAvailable++;

  let starts: number;
  let oldStopCount: number;
  if (spec.strategy === 'Recreate') {
    oldStopCount = oldLive.length;
    starts = otherNotStopped > 0 ? 0 : Math.max(0, Math.min(replicas - kept.length, bounds.maxTasks - fleet.notStopped));
  } else if (canaryTargets) {
    ({ starts, oldStops: oldStopCount } = canaryMove({
      bounds,
      ...canaryTargets,
      notStopped: fleet.notStopped,
      newLive: kept.length,
      newAvailable,
      oldLive: oldLive.length,
    }));
  } else {
    ({ starts, oldStops: oldStopCount } = rollingStep({
      replicas,
      bounds,
      notStopped: fleet.notStopped,
      newLive: kept.length,
      newAvailable,
      oldLive: oldLive.length,
    }));
  }
  if (oldStopCount > 0) {
    const cause: StopCause = spec.strategy === 'Recreate' ? 'recreate' : 'rollout';
    const slotsServed = servedSlots(kept, replicas);
    const chosen = oldStopCount === oldLive.length ? oldLive : [...oldLive].sort(compareWorstFirst(slotsServed));
    for (const view of chosen.slice(0, oldStopCount)) stops.push({ view, cause });
  }

  const missing = replicas - kept.length > 0;
  return {
    starts: canStart && starts > 0 ? chooseSlots(fleet, target, replicas, kept, starts) : [],
    stops,
    heldByBackoff: !canStart && missing,
  };
}

/**
 * Order for choosing tasks to stop: not yet running first, then running but not available,
 * then available; among old tasks, those whose slot already has an available new task first
 * (they are the ones replaced); then highest slot; then newest.
 */
function compareWorstFirst(slotsServed: Uint8Array | undefined): (a: TaskView, b: TaskView) => number {
  return (a, b) =>
    rank(a) - rank(b) ||
    (slotsServed ? served(slotsServed, b) - served(slotsServed, a) : 0) ||
    b.task.slot - a.task.slot ||
    b.task.createdAt - a.task.createdAt;
}

function rank(view: TaskView): number {
  if (!view.running) return 0;
  return view.available ? 2 : 1;
}

function served(slots: Uint8Array, view: TaskView): number {
  const slot = view.task.slot;
  return slot >= 0 && slot < slots.length ? slots[slot] : 0;
}

/** 1 for each slot in 0..replicas-1 that has an available task of the target. */
function servedSlots(kept: TaskView[], replicas: number): Uint8Array {
  const slots = new Uint8Array(replicas);
  for (const view of kept) if (view.available && inRange(view.task.slot, replicas)) slots[view.task.slot] = 1;
  return slots;
}

function inRange(slot: number, replicas: number): boolean {
  return Number.isInteger(slot) && slot >= 0 && slot < replicas;
}

/** The lowest `count` free slots of the target, each with the task it takes over from. */
function chooseSlots(
  fleet: FleetView,
  target: number,
  replicas: number,
  kept: TaskView[],
  count: number,
): StartDecision[] {
  const occupied = new Uint8Array(replicas);
  for (const view of kept) if (inRange(view.task.slot, replicas)) occupied[view.task.slot] = 1;
  // The latest departed task of the target in each free slot, else a task of another revision.
  const previousTarget = new Array<TaskView | undefined>(replicas);
  const previousOther = new Array<TaskView | undefined>(replicas);
  for (const view of fleet.views) {
    const slot = view.task.slot;
    if (!inRange(slot, replicas) || occupied[slot]) continue;
    if (view.task.revision === target) {
      if (!view.live || view.unhealthy) previousTarget[slot] = newer(previousTarget[slot], view);
    } else {
      const current = previousOther[slot];
      if (!current || (view.live && !current.live) || (view.live === current.live && newer(current, view) === view)) {
        previousOther[slot] = view;
      }
    }
  }
  const starts: StartDecision[] = [];
  for (let slot = 0; slot < replicas && starts.length < count; slot++) {
    if (occupied[slot]) continue;
    const departed = previousTarget[slot];
    const replaced = departed ?? previousOther[slot];
    const replacesFailure =
      departed !== undefined &&
      (fleet.failedTasks[departed.task.taskArn] !== undefined || (departed.gone && !isStoppedByCorral(departed.task)));
    starts.push({ revision: target, slot, replaced, replacesFailure });
  }
  return starts;
}

function newer(a: TaskView | undefined, b: TaskView): TaskView {
  return !a || b.task.createdAt >= a.task.createdAt ? b : a;
}
