import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** The user's topic; a new one when absent. */
  readonly topic?: sns.ITopic;
  /** An address subscribed to the topic. */
  readonly email?: string;
  /** Encrypts a created topic; CloudWatch is let use it (a kms.Key of this app only). */
  readonly encryptionKey?: kms.IKey;
  /** The alarms that may publish to a created topic: those whose names start with this. */
  readonly alarmNamePrefix: string;
}

/**
 * Where Corral's alarms go: the user's topic, or one created here (HTTPS only; encrypted with
 * Corral's key when there is one), with the email subscription when an address is given.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.ITopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = props.topic ?? this.createTopic(props.encryptionKey, props.alarmNamePrefix);
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }

  private createTopic(encryptionKey: kms.IKey | undefined, alarmNamePrefix: string): sns.Topic {
    const topic = new sns.Topic(this, 'Topic', { displayName: 'Corral alarms', enforceSSL: true, masterKey: encryptionKey });
    // The topic policy CDK writes (HTTPS only) replaces SNS's default one, so CloudWatch is let
    // in explicitly, for Corral's alarms only.
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CorralAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': Stack.of(this).formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${alarmNamePrefix}*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (encryptionKey) {
      // CloudWatch publishes to an encrypted topic only when the key lets it; in a key policy
      // the resource "*" is this key.
      encryptionKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'CorralAlarmNotifications',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
        }),
      );
    } else {
      Validations.of(topic).acknowledge({
        id: 'AwsSolutions-SNS2',
        reason:
          'CloudWatch alarms cannot publish to a topic encrypted with the AWS managed SNS key, and alarm notifications carry alarm names and states only; pass encryptionKey to encrypt it with yours.',
      });
    }
    return topic;
  }
}
