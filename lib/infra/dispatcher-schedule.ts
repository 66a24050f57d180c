import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { infraDefaults } from './defaults.js';

export interface DispatcherScheduleProps {
  readonly dispatcher: lambda.IFunction;
  readonly failedEvents: sqs.IQueue;
}

/**
 * The dispatcher's one-minute tick. EventBridge may deliver a tick twice and Lambda may run
 * two at once; the dispatcher's lease (leader election with a fencing token) is what makes a
 * tick's work happen once, not this rule.
 */
export class DispatcherSchedule extends Construct {
  readonly rule: events.Rule;

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
  }
}
