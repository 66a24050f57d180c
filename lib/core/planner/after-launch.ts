import { recordLaunchFailure } from './backoff.js';
import { plural } from './status.js';
import type { Plan, PlanEvent, ServiceStatus } from './types.js';

/** What the shell's RunTask calls did with `plan.start`. */
export interface LaunchReport {
  /** Tasks ECS started, per revision. */
  started: { revision: number; count: number }[];
  /** Every refusal: a RunTask `failures[]` entry or a refused call. */
  failures: { type: 'RunTaskFailed'; revision: number; message: string; reason: string }[];
}

/** The whole decision once the launch is known: the status, events and requeue to record. */
export interface LaunchDecision {
  status: ServiceStatus;
  events: PlanEvent[];
  requeueAfterMs?: number;
}

/** A failed launch is looked at again no sooner than this. */
export const launchRetryFloorMs = 1_000;

/**
 * What to record after the launch of `plan.start`. Nothing planned, or everything started: the
 * plan's own status and events, its launch events included. Anything refused: the launch events
 * are not true, so the record says what started and what ECS refused; the refusal is a
 * crash-loop step (the next start waits, rather than hammering ECS), the status says so, and the
 * requeue comes when that wait ends.
 *
 *   3 planned, 1 started, 2 refused with RESOURCE:MEMORY at t=0, first failure → backoff step 1
 *   until t=10 s; events "Started 1 of 3 planned tasks of revision 4", two RunTaskFailed;
 *   requeue min(plan's, 10 s).
 */
export function afterLaunch(plan: Plan, report: LaunchReport, now: number): LaunchDecision {
  const planned = decision(plan.status, [...plan.events, ...(plan.start.length > 0 && report.failures.length === 0 ? plan.launchEvents : [])], plan.requeueAfterMs);
  if (plan.start.length === 0 || report.failures.length === 0) return planned;

  const events: PlanEvent[] = [...plan.events];
  const plannedByRevision = new Map<number, number>();
  for (const start of plan.start) plannedByRevision.set(start.revision, (plannedByRevision.get(start.revision) ?? 0) + 1);
  for (const { revision, count } of report.started) {
    if (count === 0) continue;
    const of = plannedByRevision.get(revision) ?? count;
    events.push({ type: 'TasksStarted', revision, message: `Started ${count} of ${plural(of, 'planned task')} of revision ${revision}` });
  }
  for (const failure of report.failures) events.push({ type: failure.type, revision: failure.revision, message: failure.message });

  const backedOff = recordLaunchFailure(plan.status, now);
  const reasons = [...new Set(report.failures.map((f) => f.reason))].slice(0, 3).join('; ');
  const status: ServiceStatus = { ...backedOff, message: `Could not start tasks: ${reasons}; backing off` };
  const backoffEndsIn = (status.backoff?.until ?? now) - now;
  const requeue = Math.min(plan.requeueAfterMs ?? Infinity, Math.max(backoffEndsIn, launchRetryFloorMs));
  return decision(status, events, requeue);
}

function decision(status: ServiceStatus, events: PlanEvent[], requeueAfterMs: number | undefined): LaunchDecision {
  return { status, events, ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}) };
}
