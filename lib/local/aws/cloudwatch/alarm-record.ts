/** What the local CloudWatch keeps of a metric alarm: its configuration as PutMetricAlarm gave it, and its state. */
export interface AlarmRecord {
  name: string;
  arn: string;
  /** PutMetricAlarm's parameters other than AlarmName and Tags, as given. */
  configuration: Record<string, unknown>;
  configurationUpdatedAt: number;
  state: AlarmStateValue;
  stateReason: string;
  stateReasonData?: string;
  stateUpdatedAt: number;
  stateTransitionedAt: number;
  tags: { Key: string; Value: string }[];
}

export const alarmStates = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export type AlarmStateValue = (typeof alarmStates)[number];

/** A MetricAlarm as DescribeAlarms answers it; times are Dates so each protocol writes them its own way. */
export function metricAlarmView(alarm: AlarmRecord): Record<string, unknown> {
  const { Tags: _tags, ...configuration } = alarm.configuration;
  return {
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    ...configuration,
    ActionsEnabled: configuration.ActionsEnabled ?? true,
    OKActions: configuration.OKActions ?? [],
    AlarmActions: configuration.AlarmActions ?? [],
    InsufficientDataActions: configuration.InsufficientDataActions ?? [],
    Dimensions: configuration.Metrics === undefined ? (configuration.Dimensions ?? []) : undefined,
    AlarmConfigurationUpdatedTimestamp: new Date(alarm.configurationUpdatedAt),
    StateValue: alarm.state,
    StateReason: alarm.stateReason,
    StateReasonData: alarm.stateReasonData,
    StateUpdatedTimestamp: new Date(alarm.stateUpdatedAt),
    StateTransitionedTimestamp: new Date(alarm.stateTransitionedAt),
  };
}
