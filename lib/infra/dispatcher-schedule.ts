import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { jobKeys } from '../aws/job-store.js';
import { tableSchema } from '../aws/table-schema.js';
import { infraDefaults } from './defaults.js';
import { acknowledgeWildcardResource } from './nag-acknowledgements.js';

export interface DispatcherScheduleProps {
  readonly dispatcher: lambda.IFunction;
  /** Its stream tells the dispatcher of job spec changes. */
  readonly table: dynamodb.ITable;
  readonly failedEvents: sqs.IQueue;
  readonly wakeUps: sqs.IQueue;
  readonly clusterArn: string;
}

/**
 * The dispatcher's triggers: the one-minute tick (the safety net and the sweep), its precise
 * wake-ups (a job due between ticks), the state changes of job tasks (`startedBy`
 * `corral-job/...`), whose outcomes it records on their runs at once, and job spec changes on
 * the table's stream, which arm a wake-up for the job's next tick
 * (lib/dispatcher/job-changes.ts). EventBridge may deliver a tick twice and Lambda may run two at once; the dispatcher's lease (leader election with a
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
    // The stream's second reader (the reconciler is the first; DynamoDB advises at most two a
    // shard). Arming is idempotent, so a failed batch is simply retried; one that keeps failing
    // goes to the failed-events queue, and the one-minute tick arms the wake-up in its stead.
    props.dispatcher.addEventSource(
      new sources.DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: infraDefaults.jobChanges.batchSize,
        retryAttempts: infraDefaults.jobChanges.retryAttempts,
        maxRecordAge: infraDefaults.jobChanges.maxRecordAge,
        onFailure: new sources.SqsDlq(props.failedEvents),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: {
              Keys: {
                [tableSchema.partitionKey]: { S: lambda.FilterRule.beginsWith(jobKeys.prefix) },
                [tableSchema.sortKey]: { S: lambda.FilterRule.isEqual(jobKeys.spec) },
              },
            },
          }),
        ],
      }),
    );
    if (props.dispatcher.role) {
      acknowledgeWildcardResource(
        props.dispatcher.role,
        '*',
        'dynamodb:ListStreams, granted by the stream event source, does not support resource-level permissions.',
      );
    }
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
