import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { taskEventBatching } from '../reconciler/triggers.js';
import { tableSchema } from '../aws/table-schema.js';
import { infraDefaults } from './defaults.js';
import { acknowledgeWildcardResource } from './nag-acknowledgements.js';

export interface ReconcilerTriggersProps {
  readonly reconciler: lambda.IFunction;
  readonly table: dynamodb.ITable;
  readonly clusterArn: string;
  readonly requeue: sqs.IQueue;
  readonly taskEvents: sqs.IQueue;
  readonly failedEvents: sqs.IQueue;
}

/**
 * The three ways a reconcile of one service starts; the fourth, the one-minute sweep of every
 * service, is the leader-elected dispatcher's (dispatcher-schedule.ts). Each only names which
 * service to look at; the reconciler re-reads desired and observed state, so duplicates and
 * reordering are harmless. Both event sources report item failures (ReportBatchItemFailures):
 * the reconciler answers with the records of the services whose reconcile failed, so SQS
 * retries only those messages and the stream resumes from the first failed record instead of
 * replaying the whole batch.
 */
export class ReconcilerTriggers extends Construct {
  readonly taskStateRule: events.Rule;

  constructor(scope: Construct, id: string, props: ReconcilerTriggersProps) {
    super(scope, id);
    const { reconciler } = props;

    // 1. Every accepted desired-state change. Only service spec items pass the filter: status
    // and event items are the reconciler's own writes and would otherwise re-trigger it.
    // Starting at the trim horizon, records written before the mapping was enabled still count.
    reconciler.addEventSource(
      new sources.DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: infraDefaults.stream.batchSize,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: infraDefaults.stream.retryAttempts,
        maxRecordAge: infraDefaults.stream.maxRecordAge,
        onFailure: new sources.SqsDlq(props.failedEvents),
        filters: [
          lambda.FilterCriteria.filter({
            dynamodb: {
              Keys: {
                [tableSchema.partitionKey]: { S: lambda.FilterRule.beginsWith('service#') },
                [tableSchema.sortKey]: { S: lambda.FilterRule.isEqual('spec') },
              },
            },
          }),
        ],
      }),
    );

    if (reconciler.role) {
      acknowledgeWildcardResource(
        reconciler.role,
        '*',
        'dynamodb:ListStreams, granted by the stream event source, does not support resource-level permissions.',
      );
    }

    const targetOptions = {
      deadLetterQueue: props.failedEvents,
      retryAttempts: infraDefaults.eventTargetRetryAttempts,
      maxEventAge: infraDefaults.eventTargetMaxAge,
    };

    // 2. Every state change of a task Corral started on the cluster (services `corral/<name>`,
    // jobs `corral-job/<name>`); other tasks sharing the cluster never wake the reconciler. They
    // pass through a queue so that one invocation takes a burst of them (a batch window): the
    // events of one service in it make one reconcile, not one each.
    this.taskStateRule = new events.Rule(this, 'TaskStateChange', {
      description: 'ECS task state changes of Corral tasks',
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          clusterArn: [props.clusterArn],
          startedBy: events.Match.prefix('corral'),
        },
      },
      targets: [new targets.SqsQueue(props.taskEvents, targetOptions)],
    });
    reconciler.addEventSource(
      new sources.SqsEventSource(props.taskEvents, {
        batchSize: taskEventBatching.batchSize,
        maxBatchingWindow: Duration.millis(taskEventBatching.maxBatchingWindowMs),
        reportBatchItemFailures: true,
      }),
    );

    // 3. Precise requeues: messages sent with a per-message delay.
    reconciler.addEventSource(
      new sources.SqsEventSource(props.requeue, {
        batchSize: infraDefaults.requeue.batchSize,
        reportBatchItemFailures: true,
      }),
    );
  }
}
