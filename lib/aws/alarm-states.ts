import { type CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AlarmReading, AlarmState } from '../core/planner/alarm-gate.js';
import type { SendingClient } from './lazy-client.js';

/** The port the reconciler reads rollout alarms through. */
export interface AlarmStates {
  /** The states of `names`; never throws: a failed read is an `unreadable` reading, which holds a rollout. */
  read(names: readonly string[]): Promise<AlarmReading>;
}

/** DescribeAlarms takes at most 100 names a call. */
const namesPerCall = 100;

/** CloudWatch metric alarms by name, through DescribeAlarms (needs `cloudwatch:DescribeAlarms`). */
export class CloudWatchAlarmStates implements AlarmStates {
  constructor(private readonly cloudwatch: SendingClient<CloudWatchClient>) {}

  async read(names: readonly string[]): Promise<AlarmReading> {
    const wanted = [...new Set(names)];
    const states: AlarmState[] = [];
    try {
      for (let i = 0; i < wanted.length; i += namesPerCall) {
        const batch = wanted.slice(i, i + namesPerCall);
        let nextToken: string | undefined;
        do {
          const answer = await this.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: batch, MaxRecords: 100, NextToken: nextToken }));
          states.push(...(answer.MetricAlarms ?? []).map(alarmState));
          nextToken = answer.NextToken;
        } while (nextToken);
      }
    } catch (error) {
      const { name, message } = error as { name?: string; message?: string };
      return { kind: 'unreadable', reason: `DescribeAlarms failed: ${name ?? 'Error'}: ${message ?? String(error)}` };
    }
    const found = new Set(states.map((state) => state.name));
    return { kind: 'read', states, missing: wanted.filter((name) => !found.has(name)) };
  }
}

function alarmState(alarm: MetricAlarm): AlarmState {
  const value = alarm.StateValue === 'ALARM' || alarm.StateValue === 'OK' ? alarm.StateValue : 'INSUFFICIENT_DATA';
  const transitioned = alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp;
  return { name: alarm.AlarmName ?? '', value, reason: alarm.StateReason ?? '', transitionedAt: transitioned?.getTime() ?? 0 };
}
