import { Names } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { TreatMissingData, type Dashboard, type AlarmBase } from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { DefaultDashboardFactory, MonitoringFacade, notifySns } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic.js';
import { corralMetricGroups } from './corral-metrics.js';
import type { ResolvedAlarmThresholds } from './corral-props.js';
import { infraDefaults } from './defaults.js';

export interface CorralMonitoringProps {
  /** The dispatcher: its errors are alarmed on (a failing tick runs no job and no sweep). */
  readonly dispatcher: lambda.IFunction;
  /** The reconciler: its errors, throttles and stream iterator age are alarmed on. */
  readonly reconciler: lambda.IFunction;
  readonly api: apigateway.RestApi;
  /** Every dead-letter queue, by the name its alarm and widget carry. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  /** Where every alarm, and its return to OK, is sent; a new topic when absent. */
  readonly alarmTopic?: sns.ITopic;
  /** Subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /** Encrypts a created alarm topic. */
  readonly encryptionKey?: kms.IKey;
  readonly thresholds: ResolvedAlarmThresholds;
}

/**
 * Corral's alarms and its one dashboard, built with cdk-monitoring-constructs: each alarm is
 * named `<prefix>-<signal>-...`, where the prefix is unique to this construct in the account,
 * and sends to the alarm topic. docs/operations.md says what each one means and what to do.
 */
export class CorralMonitoring extends Construct {
  /** The dashboard: rollouts, reconcile duration, tasks, job runs and lateness, API, queues. */
  readonly dashboard: Dashboard;
  /** Where the alarms go: the given topic or the one created here. */
  readonly alarmTopic: sns.ITopic;
  /** Every alarm created here. */
  readonly alarms: readonly AlarmBase[];

  constructor(scope: Construct, id: string, props: CorralMonitoringProps) {
    super(scope, id);
    const { thresholds } = props;
    const settings = infraDefaults.monitoring;
    // Dashboard and alarm names are account-wide: one Corral's never collide with another's.
    const name = Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
      topic: props.alarmTopic,
      email: props.alarmEmail,
      encryptionKey: props.encryptionKey,
      alarmNamePrefix: name,
    }).topic;
    const dashboards = new DefaultDashboardFactory(this, 'Dashboards', {
      dashboardNamePrefix: name,
      createDashboard: true,
      createSummaryDashboard: false,
      createAlarmDashboard: false,
    });
    const facade = new MonitoringFacade(this, 'Facade', {
      metricFactoryDefaults: { period: settings.period },
      alarmFactoryDefaults: {
        alarmNamePrefix: name,
        actionsEnabled: true,
        action: notifySns(this.alarmTopic, this.alarmTopic),
        datapointsToAlarm: 1,
      },
      dashboardFactory: dashboards,
    });

    facade.addLargeHeader('Corral');
    facade.monitorCustom({
      alarmFriendlyName: 'Corral',
      humanReadableName: 'Rollouts, reconciles, tasks and jobs',
      metricGroups: corralMetricGroups(thresholds, settings.period),
    });
    facade.monitorLambdaFunction({
      lambdaFunction: props.reconciler,
      alarmFriendlyName: 'Reconciler',
      humanReadableName: 'Reconciler function',
      isIterator: true,
      addFaultCountAlarm: {
        Critical: {
          maxErrorCount: thresholds.reconcilerErrors,
          alarmDescriptionOverride:
            'Reconciler invocations failed whole (crash, timeout, out of memory): their batches are retried, then dead-lettered. See the reconciler log group.',
        },
      },
      addThrottlesCountAlarm: {
        Critical: {
          maxErrorCount: thresholds.reconcilerThrottles,
          alarmDescriptionOverride:
            'Reconciler invocations were throttled: the account or its reserved concurrency is exhausted, so reconciles wait.',
        },
      },
      addMaxIteratorAgeAlarm: {
        Critical: {
          maxAgeInMillis: thresholds.streamIteratorAge.toMilliseconds(),
          alarmDescriptionOverride:
            'Desired-state changes wait in the table stream: the reconciler is failing on a record or far behind. Records older than 24 h go to the failed-events queue.',
        },
      },
    });
    facade.monitorLambdaFunction({
      lambdaFunction: props.dispatcher,
      alarmFriendlyName: 'Dispatcher',
      humanReadableName: 'Dispatcher function',
      addFaultCountAlarm: {
        Critical: {
          maxErrorCount: thresholds.dispatcherErrors,
          alarmDescriptionOverride:
            'Dispatcher invocations failed whole (crash, timeout, out of memory): while it fails, no job starts, the sweep does not run and orphans are not stopped. See the dispatcher log group.',
        },
      },
    });
    const sustained = { datapointsToAlarm: settings.apiDatapointsToAlarm };
    facade.monitorApiGateway({
      api: props.api,
      apiStage: props.api.deploymentStage.stageName,
      alarmFriendlyName: 'Api',
      humanReadableName: 'Desired-state API',
      add5XXFaultRateAlarm: {
        Critical: {
          maxErrorRate: thresholds.api5xxRate,
          ...sustained,
          alarmDescriptionOverride: 'The API answers 5xx to a share of requests: see the API function log group and the access logs.',
        },
      },
      addLatencyP99Alarm: {
        Critical: {
          maxLatency: thresholds.apiLatencyP99,
          ...sustained,
          alarmDescriptionOverride: 'The API is slow at p99: look for throttled DynamoDB calls or cold starts in its traces.',
        },
      },
    });
    for (const [queueName, queue] of Object.entries(props.deadLetterQueues)) {
      facade.monitorSqsQueue({
        queue,
        alarmFriendlyName: queueName,
        humanReadableName: `Dead letters: ${queueName}`,
        addQueueMaxSizeAlarm: {
          Critical: {
            maxMessageCount: thresholds.deadLetterMessages,
            // An empty, idle queue may stop reporting: no data is no dead letter.
            treatMissingDataOverride: TreatMissingData.NOT_BREACHING,
            alarmDescriptionOverride: `Messages wait in ${queueName}: events Corral could not process. docs/operations.md says how to read and replay them.`,
          },
        },
      });
    }

    // createDashboard: true above is what makes the one dashboard exist.
    this.dashboard = dashboards.dashboard as Dashboard;
    this.alarms = facade.createdAlarms().map((created) => created.alarm);
  }
}
