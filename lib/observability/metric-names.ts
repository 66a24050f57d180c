/**
 * The metric contract: every metric Corral's functions publish (Powertools Metrics, EMF) and the
 * alarms and dashboard in lib/infra read. One place for names, units and dimension keys; this
 * file imports nothing, so the CDK code can use it without pulling in a Lambda runtime library.
 *
 * Every metric is published aggregated with no dimensions (JobRuns: `outcome` only), so an alarm
 * on the whole of Corral reads one series; where a per-thing view helps it is published again
 * with `service` (the Corral service's name) or `job` (the job's name) added.
 */

/** The CloudWatch namespace of every Corral metric. */
export const metricNamespace = 'Corral';

/** CloudWatch units, spelled as CloudWatch (and Powertools' MetricUnit) spell them. */
export type MetricUnitName = 'Count' | 'Milliseconds';

/** Dimension keys. `service` holds a Corral service's name, never the function's. */
export const metricDimension = {
  service: 'service',
  job: 'job',
  outcome: 'outcome',
} as const;
export type MetricDimensionKey = (typeof metricDimension)[keyof typeof metricDimension];

/** The values of JobRuns' `outcome` dimension. */
export const jobRunOutcomes = ['Succeeded', 'Failed', 'Missed', 'Skipped'] as const;
export type JobRunOutcome = (typeof jobRunOutcomes)[number];

interface MetricDefinition {
  unit: MetricUnitName;
  /** Dimensions on every datapoint (the "aggregate" series carries these and nothing else). */
  always?: readonly MetricDimensionKey[];
  /** The extra dimension of the per-thing series published beside the aggregate one. */
  per?: MetricDimensionKey;
}

/** Every metric, with its unit and dimensions. */
export const metrics = {
  RolloutStarted: { unit: 'Count', per: 'service' },
  RolloutCompleted: { unit: 'Count', per: 'service' },
  RolloutFailed: { unit: 'Count', per: 'service' },
  RolloutRolledBack: { unit: 'Count', per: 'service' },
  ReconcileErrors: { unit: 'Count', per: 'service' },
  /**
   * Aggregate only: the sweep reconciles every service every minute, and a per-service series
   * published every minute is a custom metric billed all month, for each service.
   */
  ReconcileDuration: { unit: 'Milliseconds' },
  TasksStarted: { unit: 'Count', per: 'service' },
  TasksStopped: { unit: 'Count', per: 'service' },
  LaunchFailures: { unit: 'Count', per: 'service' },
  /** A lease taken over while its holder still acted (a reconcile's or the dispatcher's). */
  LeaseLost: { unit: 'Count' },
  /** A write refused because the writer's lease token was no longer current. */
  FencedWriteRejected: { unit: 'Count' },
  RotationSucceeded: { unit: 'Count' },
  RotationFailed: { unit: 'Count' },
  /** How long after its scheduled tick a job run's task was started. */
  JobStartLateness: { unit: 'Milliseconds', per: 'job' },
  JobRuns: { unit: 'Count', always: ['outcome'], per: 'job' },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof metrics;

/** The names, for code that wants them as values (`metricNames.RolloutFailed`). */
export const metricNames = Object.fromEntries(Object.keys(metrics).map((name) => [name, name])) as { [K in MetricName]: K };
