import type { LaunchReport, Plan, PlanEvent } from '../core/planner/index.js';
import type { MetricName } from './metric-names.js';
import type { MetricsRecorder } from './metrics.js';

/** One datapoint of a service's reconcile. */
export interface ReconcileDatapoint {
  name: MetricName;
  value: number;
}

/** The plan's events that are rollout metrics. A first rollout ends `Available`, a later one `RolloutCompleted`. */
const rolloutMetricOf: Partial<Record<PlanEvent['type'], MetricName>> = {
  RolloutStarted: 'RolloutStarted',
  RolloutCompleted: 'RolloutCompleted',
  Available: 'RolloutCompleted',
  RolloutFailed: 'RolloutFailed',
  RolledBack: 'RolloutRolledBack',
};

/** The plan's events that are rollout decisions, each logged at INFO once, when it is recorded. */
export const rolloutDecisionEvents: ReadonlySet<PlanEvent['type']> = new Set<PlanEvent['type']>([
  'RolloutStarted', 'RolloutCompleted', 'Available', 'RolloutFailed', 'RolledBack', 'RolloutAborted',
  'RolloutPaused', 'RolloutResumed', 'RolloutHeld', 'CanaryStep', 'CanaryPromoted', 'AlarmFiringAtStart',
]);

/**
 * What an applied reconcile did, as metrics, from the decision alone: the rollout events it
 * recorded, the tasks it stopped (`plan.stop`) and started and the launches ECS refused (the
 * launch report). Zero counts are left out. Example: a plan stopping 2 tasks and starting 3, of
 * which RunTask started 2 and refused 1, with a RolloutStarted event →
 * RolloutStarted 1, TasksStopped 2, TasksStarted 2, LaunchFailures 1.
 */
export function reconcileDatapoints(plan: Pick<Plan, 'stop'>, report: LaunchReport, events: readonly PlanEvent[]): ReconcileDatapoint[] {
  const counts = new Map<MetricName, number>();
  const count = (name: MetricName, n: number) => {
    if (n > 0) counts.set(name, (counts.get(name) ?? 0) + n);
  };
  for (const event of events) {
    const name = rolloutMetricOf[event.type];
    if (name) count(name, 1);
  }
  count('TasksStopped', plan.stop.length);
  count('TasksStarted', report.started.reduce((sum, s) => sum + s.count, 0));
  count('LaunchFailures', report.failures.length);
  return [...counts].map(([name, value]) => ({ name, value }));
}

/** Where a reconcile's report goes. */
export interface ReconcileReportPorts {
  logger: { info(message: string, attributes: Record<string, unknown>): void };
  metrics: MetricsRecorder;
}

/**
 * Reports a reconcile once its decision is recorded: each rollout decision at INFO, and the
 * datapoints, each aggregated and per service. Called after the fenced commit, so a reconcile
 * that lost its lease reports nothing and its successor reports the decision once.
 */
export function reportReconcile(ports: ReconcileReportPorts, service: string, plan: Pick<Plan, 'stop'>, report: LaunchReport, events: readonly PlanEvent[]): void {
  for (const event of events) {
    if (rolloutDecisionEvents.has(event.type)) ports.logger.info(event.message, { event: event.type, ...(event.revision !== undefined ? { eventRevision: event.revision } : {}) });
  }
  for (const { name, value } of reconcileDatapoints(plan, report, events)) ports.metrics.add(name, value, { service });
}
