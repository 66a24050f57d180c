import type { Clock } from '../../../clock.js';
import type { LocalBus } from '../../bus.js';
import { AwsError } from '../errors.js';
import { Input } from '../input.js';
import { decodeToken, page } from '../paging.js';
import { StateFile } from '../state-file.js';
import { type AlarmRecord, alarmStates, type AlarmStateValue, metricAlarmView } from './alarm-record.js';
import { invalidCombination, invalidValue, missingParameter, validatedAlarmConfiguration } from './alarm-configuration.js';

export interface AlarmsEmulatorOptions {
  clock: Clock;
  bus: LocalBus;
  accountId: string;
  region: string;
  /** Where alarms are kept across restarts; undefined keeps them in memory. */
  stateFile?: string;
}

const notFound = (name: string): AwsError => new AwsError('ResourceNotFound', `Alarm ${name} not found`, 404);

/**
 * CloudWatch metric alarms on the local endpoint: PutMetricAlarm, DescribeAlarms, SetAlarmState
 * and DeleteAlarms over an in-memory account. There are no metrics here, so an alarm changes state
 * only by SetAlarmState — which is how a user rehearses an alarm firing mid-rollout — and, unlike
 * CloudWatch, it keeps that state instead of re-evaluating at the next period. Each state change
 * is published as EventBridge's "CloudWatch Alarm State Change".
 */
export class AlarmsEmulator {
  private readonly alarms = new Map<string, AlarmRecord>();
  private readonly state: StateFile<AlarmRecord[]>;

  constructor(private readonly options: AlarmsEmulatorOptions) {
    this.state = new StateFile(options.stateFile);
    for (const alarm of this.state.load() ?? []) this.alarms.set(alarm.name, alarm);
  }

  handle(operation: string, body: unknown): Record<string, unknown> | undefined {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AwsError('SerializationException', 'Request body must be a JSON object');
    }
    const parameters = body as Record<string, unknown>;
    switch (operation) {
      case 'PutMetricAlarm':
        return this.putMetricAlarm(parameters);
      case 'DescribeAlarms':
        return this.describeAlarms(Input.of(parameters, 'InvalidParameterValue'));
      case 'SetAlarmState':
        return this.setAlarmState(Input.of(parameters, 'InvalidParameterValue'));
      case 'DeleteAlarms':
        return this.deleteAlarms(Input.of(parameters, 'InvalidParameterValue'));
      default:
        throw new AwsError('InvalidAction', `The action ${operation} is not valid for this endpoint.`);
    }
  }

  private putMetricAlarm(body: Record<string, unknown>): undefined {
    const { name, configuration } = validatedAlarmConfiguration(body);
    const now = this.options.clock.now();
    const existing = this.alarms.get(name);
    if (existing) {
      // An update replaces the whole configuration and leaves the state (and the tags) as they are.
      existing.configuration = configuration;
      existing.configurationUpdatedAt = now;
    } else {
      const tags = (body.Tags as AlarmRecord['tags'] | undefined) ?? [];
      this.alarms.set(name, {
        name,
        arn: `arn:aws:cloudwatch:${this.options.region}:${this.options.accountId}:alarm:${name}`,
        configuration,
        configurationUpdatedAt: now,
        state: 'INSUFFICIENT_DATA',
        stateReason: 'Unchecked: Initial alarm creation',
        stateUpdatedAt: now,
        stateTransitionedAt: now,
        tags,
      });
    }
    this.save();
    return undefined;
  }

  private describeAlarms(input: Input): Record<string, unknown> {
    const names = input.strings('AlarmNames');
    const prefix = input.string('AlarmNamePrefix', { min: 1, max: 255 });
    if (names !== undefined && names.length > 100) throw invalidValue('The collection AlarmNames must not have more than 100 members.');
    if (names !== undefined && prefix !== undefined) throw invalidCombination('AlarmNames and AlarmNamePrefix cannot be specified together.');
    const state = input.string('StateValue');
    if (state !== undefined && !isState(state)) throw invalidValue(`Invalid StateValue: ${state}`);
    const actionPrefix = input.string('ActionPrefix', { min: 1, max: 1024 });
    const types = input.strings('AlarmTypes') ?? ['MetricAlarm'];
    const maxRecords = input.integer('MaxRecords', { min: 1, max: 100, fallback: 50 });
    const filterKey = JSON.stringify([names, prefix, state, actionPrefix, types]);
    const after = decodeToken(input.string('NextToken'), filterKey, (message) => new AwsError('InvalidNextToken', message));

    const wanted = names === undefined ? undefined : new Set(names);
    const matching = types.includes('MetricAlarm')
      ? [...this.alarms.values()]
          .filter((alarm) => wanted === undefined || wanted.has(alarm.name))
          .filter((alarm) => prefix === undefined || alarm.name.startsWith(prefix))
          .filter((alarm) => state === undefined || alarm.state === state)
          .filter((alarm) => actionPrefix === undefined || actionsOf(alarm).some((action) => action.startsWith(actionPrefix)))
          .sort((a, b) => (a.name < b.name ? -1 : 1))
      : [];
    const position = new Map(matching.map((alarm, index) => [alarm, index]));
    const { items, nextToken } = page(matching, (alarm) => position.get(alarm) as number, after, maxRecords, filterKey);
    return {
      MetricAlarms: items.map(metricAlarmView),
      ...(types.includes('CompositeAlarm') ? { CompositeAlarms: [] } : {}),
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    };
  }

  private setAlarmState(input: Input): undefined {
    if (!input.has('AlarmName')) throw missingParameter('AlarmName');
    if (!input.has('StateValue')) throw missingParameter('StateValue');
    if (!input.has('StateReason')) throw missingParameter('StateReason');
    const name = input.string('AlarmName', { required: true, min: 1, max: 255 });
    const value = input.string('StateValue', { required: true });
    if (!isState(value)) throw invalidValue(`Invalid StateValue: ${value}`);
    const reason = input.string('StateReason', { required: true, max: 1023 });
    const reasonData = input.string('StateReasonData', { max: 4000 });
    if (reasonData !== undefined) {
      try {
        JSON.parse(reasonData);
      } catch {
        throw new AwsError('InvalidFormat', 'StateReasonData is not valid JSON.');
      }
    }
    const alarm = this.alarms.get(name);
    if (!alarm) throw notFound(name);
    const now = this.options.clock.now();
    const previous = { value: alarm.state, reason: alarm.stateReason, timestamp: new Date(alarm.stateUpdatedAt).toISOString() };
    if (alarm.state !== value) alarm.stateTransitionedAt = now;
    alarm.state = value;
    alarm.stateReason = reason;
    alarm.stateReasonData = reasonData;
    alarm.stateUpdatedAt = now;
    this.save();
    if (previous.value !== value) {
      this.options.bus.putEvents([
        {
          source: 'aws.cloudwatch',
          'detail-type': 'CloudWatch Alarm State Change',
          resources: [alarm.arn],
          detail: {
            alarmName: name,
            state: { value, reason, timestamp: new Date(now).toISOString() },
            previousState: previous,
            configuration: { description: alarm.configuration.AlarmDescription },
          },
        },
      ]);
    }
    return undefined;
  }

  private deleteAlarms(input: Input): undefined {
    if (!input.has('AlarmNames')) throw missingParameter('AlarmNames');
    const names = input.strings('AlarmNames') ?? [];
    if (names.length > 100) throw invalidValue('The collection AlarmNames must not have more than 100 members.');
    // All or nothing: one unknown name and no alarm is deleted.
    const unknown = names.find((name) => !this.alarms.has(name));
    if (unknown !== undefined) throw notFound(unknown);
    for (const name of names) this.alarms.delete(name);
    this.save();
    return undefined;
  }

  private save(): void {
    this.state.save([...this.alarms.values()]);
  }
}

function isState(value: string): value is AlarmStateValue {
  return (alarmStates as readonly string[]).includes(value);
}

function actionsOf(alarm: AlarmRecord): string[] {
  const { OKActions, AlarmActions, InsufficientDataActions } = alarm.configuration as Record<string, string[] | undefined>;
  return [...(OKActions ?? []), ...(AlarmActions ?? []), ...(InsufficientDataActions ?? [])];
}
