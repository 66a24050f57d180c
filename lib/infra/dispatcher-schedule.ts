import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { infraDefaults } from './defaults.js';

export interface DispatcherScheduleProps {
  readonly dispatcher: lambda.IFunction;
  readonly failedEvents: sqs.IQueue;
  readonly wakeUps: sqs.IQueue;
  readonly clusterArn: string;
}

/**
 * The dispatcher's triggers: the one-minute tick (the safety net and the sweep), its precise
 * wake-ups (a job due between ticks), and the state changes of job tasks (`startedBy`
 * `corral-job/...`), whose outcomes it records on their runs at once. EventBridge may deliver a
 * tick twice and Lambda may run two at once; the dispatcher's lease (leader election with a
 * fencing token) is what makes a tick's work happen once, not these rules.
 */
export class DispatcherSchedule extends Construct {
  readonly rule: events.Rule;
  readonly jobTaskStateRule: events.Rule;

  constructor(scope: Construct, id: string, props: DispatcherScheduleProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Tick', {
      description: 'Corral dispatcher tick: singleton jobs, orphan collection',
      schedule: events.Schedule.rate(infraDefaults.tick),
      targets: [
        new targets.LambdaFunction(props.dispatcher, {
          deadLetterQueue: props.failedEvents,
          retryAttempts: infraDefaults.eventTargetRetryAttempts,
          maxEventAge: infraDefaults.eventTargetMaxAge,
        }),
      ],
    });
    props.dispatcher.addEventSource(new sources.SqsEventSource(props.wakeUps, { batchSize: infraDefaults.wakeUps.batchSize }));
    this.jobTaskStateRule = new events.Rule(this, 'JobTaskStateChange', {
      description: 'ECS task state changes of Corral job runs: outcomes recorded at once',
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: { clusterArn: [props.clusterArn], startedBy: events.Match.prefix('corral-job/') },
      },
      targets: [
        new targets.LambdaFunction(props.dispatcher, {
          deadLetterQueue: props.failedEvents,
          retryAttempts: infraDefaults.eventTargetRetryAttempts,
          maxEventAge: infraDefaults.eventTargetMaxAge,
        }),
      ],
    });
  }
}
