import { Validations, type RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { infraDefaults } from './defaults.js';

export interface CorralQueuesProps {
  /** A customer managed key; SQS managed encryption when absent. */
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The reconciler's queues.
 *
 * `requeue` is how a reconcile asks to run again after a precise delay (a health gate, a
 * backoff): it sends a message naming the service with `DelaySeconds` up to 900, and SQS
 * delivers it to the reconciler then — no per-minute polling, no scheduler resources per
 * service. Messages that keep failing land in `requeueDeadLetters`.
 *
 * `wakeUps` carries the dispatcher's precise wake-ups: one delayed message for the next instant
 * a job needs the leader (a tick, a timeout), re-sent when the wait is beyond 15 minutes, so a run
 * starts within a second of its tick rather than on the next one-minute tick.
 *
 * `taskEvents` holds ECS task state changes on their way to the reconciler, so Lambda hands it
 * a burst of them at once (batch window, lib/reconciler/triggers.ts) and a service that ten events
 * name is reconciled once; messages that keep failing go to `failedEvents`.
 *
 * `failedEvents` receives what the other triggers could not deliver: stream batches that
 * exhausted their retries (their metadata — shard and sequence numbers) and EventBridge events
 * the reconciler or dispatcher did not take. The one-minute sweep repairs the state they
 * describe, so they are kept for inspection, not replayed.
 */
export class CorralQueues extends Construct {
  readonly requeue: sqs.Queue;
  readonly requeueDeadLetters: sqs.Queue;
  readonly taskEvents: sqs.Queue;
  readonly failedEvents: sqs.Queue;
  readonly wakeUps: sqs.Queue;
  readonly wakeUpDeadLetters: sqs.Queue;

  constructor(scope: Construct, id: string, props: CorralQueuesProps) {
    super(scope, id);
    const common = {
      enforceSSL: true,
      ...(props.encryptionKey
        ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey }
        : { encryption: sqs.QueueEncryption.SQS_MANAGED }),
      removalPolicy: props.removalPolicy,
    };
    this.requeueDeadLetters = new sqs.Queue(this, 'RequeueDeadLetters', {
      ...common,
      retentionPeriod: infraDefaults.deadLetterRetention,
    });
    this.requeue = new sqs.Queue(this, 'Requeue', {
      ...common,
      visibilityTimeout: infraDefaults.requeue.visibilityTimeout,
      deadLetterQueue: { queue: this.requeueDeadLetters, maxReceiveCount: infraDefaults.requeue.maxReceiveCount },
    });
    this.wakeUpDeadLetters = new sqs.Queue(this, 'WakeUpDeadLetters', {
      ...common,
      retentionPeriod: infraDefaults.deadLetterRetention,
    });
    this.wakeUps = new sqs.Queue(this, 'WakeUps', {
      ...common,
      visibilityTimeout: infraDefaults.wakeUps.visibilityTimeout,
      deadLetterQueue: { queue: this.wakeUpDeadLetters, maxReceiveCount: infraDefaults.wakeUps.maxReceiveCount },
    });
    this.failedEvents = new sqs.Queue(this, 'FailedEvents', {
      ...common,
      retentionPeriod: infraDefaults.deadLetterRetention,
    });
    this.taskEvents = new sqs.Queue(this, 'TaskEvents', {
      ...common,
      visibilityTimeout: infraDefaults.taskEvents.visibilityTimeout,
      // The sweep repairs what an undelivered task event would have: kept only for inspection.
      retentionPeriod: infraDefaults.taskEvents.retention,
      deadLetterQueue: { queue: this.failedEvents, maxReceiveCount: infraDefaults.taskEvents.maxReceiveCount },
    });
    Validations.of(this.failedEvents).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of the stream mapping and the event rules.',
    });
  }
}
