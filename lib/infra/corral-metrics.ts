import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { CustomMetricGroup, CustomMetricWithAlarm } from 'cdk-monitoring-constructs';
import { metricDimension, metricNames, metricNamespace, type JobRunOutcome, type MetricName } from '../observability/metric-names.js';
import type { ResolvedAlarmThresholds } from './corral-props.js';

/**
 * Corral's own metrics (lib/observability/metric-names.ts) as the dashboard's widgets and the
 * alarms on them. Every series read here is the aggregate one (no dimensions; JobRuns by
 * `outcome` only): one alarm covers every service and job.
 */
export function corralMetricGroups(thresholds: ResolvedAlarmThresholds, period: Duration): CustomMetricGroup[] {
  const count = (name: MetricName, label: string = name) => corralMetric(name, 'Sum', period, label);
  const jobRuns = (outcome: JobRunOutcome) =>
    corralMetric(metricNames.JobRuns, 'Sum', period, outcome, { [metricDimension.outcome]: outcome });
  return [
    {
      title: 'Rollouts',
      metrics: [
        count(metricNames.RolloutStarted, 'Started'),
        count(metricNames.RolloutCompleted, 'Completed'),
        count(metricNames.RolloutRolledBack, 'Rolled back'),
        aboveThreshold(count(metricNames.RolloutFailed, 'Failed'), 'RolloutFailed', thresholds.rolloutsFailed,
          'A rollout ended Failed (progress deadline, crash loop or a gating alarm): corral get services -o wide names it, corral events NAME says why.'),
      ],
    },
    {
      title: 'Reconcile duration',
      metrics: ['p50', 'p99', 'Maximum'].map((statistic) =>
        corralMetric(metricNames.ReconcileDuration, statistic, period, `ReconcileDuration ${statistic}`),
      ),
    },
    {
      title: 'Reconcile errors and launch failures',
      metrics: [count(metricNames.ReconcileErrors), count(metricNames.LaunchFailures)],
    },
    {
      title: 'Tasks started and stopped',
      metrics: [count(metricNames.TasksStarted, 'Started'), count(metricNames.TasksStopped, 'Stopped')],
    },
    {
      title: 'Leases',
      metrics: [
        aboveThreshold(count(metricNames.LeaseLost), 'LeaseLost', thresholds.leasesLost,
          'A lease holder kept acting after its lease was taken over; its fenced writes were refused. Look for stalls (timeouts, throttling) in the reconciler and dispatcher logs.'),
        count(metricNames.FencedWriteRejected),
      ],
    },
    {
      title: 'Job runs',
      metrics: [
        jobRuns('Succeeded'),
        jobRuns('Skipped'),
        aboveThreshold(jobRuns('Failed'), 'JobRunFailed', thresholds.jobRunsFailed,
          'A job run ended Failed (its task exited non-zero or could not start): corral describe job NAME lists its runs.'),
        aboveThreshold(jobRuns('Missed'), 'JobRunMissed', thresholds.jobRunsMissed,
          'A job run was Missed: it could not start within startingDeadlineSeconds of its tick. See the dispatcher log group.'),
      ],
    },
    {
      title: 'Job start lateness',
      metrics: ['p50', 'p99', 'Maximum'].map((statistic) =>
        corralMetric(metricNames.JobStartLateness, statistic, period, `JobStartLateness ${statistic}`),
      ),
    },
    {
      title: 'Secret rotation',
      metrics: [
        count(metricNames.RotationSucceeded, 'Succeeded'),
        aboveThreshold(count(metricNames.RotationFailed, 'Failed'), 'RotationFailed', thresholds.rotationsFailed,
          'A secret rotation failed: the rotation function log group says at which step; corral secrets rotate NAME tries again.'),
      ],
    },
  ];
}

function corralMetric(
  metricName: MetricName,
  statistic: string,
  period: Duration,
  label: string,
  dimensionsMap?: Record<string, string>,
): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: metricNamespace, metricName, statistic, period, label, dimensionsMap });
}

/** Counts that are only published when something happens: no data is no event. */
function aboveThreshold(metric: cloudwatch.Metric, name: string, threshold: number, description: string): CustomMetricWithAlarm {
  return {
    metric,
    alarmFriendlyName: name,
    addAlarm: {
      Critical: {
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingDataOverride: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescriptionOverride: description,
      },
    },
  };
}
