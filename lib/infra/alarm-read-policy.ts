import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag-acknowledgements.js';

export interface AlarmReadPolicyProps {
  /** The roles that read rollout alarms (the reconciler's, the dispatcher's sweep, the API's PUT check). */
  readonly roles: readonly iam.IRole[];
  /** Alarms a spec's `rollout.alarms` may name: those whose names start with this ('' for any alarm). */
  readonly alarmNamePrefix: string;
}

/**
 * `cloudwatch:DescribeAlarms` on the alarms a rollout may be gated on — CloudWatch scopes it by
 * alarm ARN (`arn:aws:cloudwatch:<region>:<account>:alarm:<name>`), so the prefix narrows it.
 */
export class AlarmReadPolicy extends Construct {
  readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: AlarmReadPolicyProps) {
    super(scope, id);
    const alarms = Stack.of(this).formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: `${props.alarmNamePrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.policy = new iam.Policy(this, 'Policy', {
      roles: [...props.roles],
      statements: [new iam.PolicyStatement({ sid: 'ReadRolloutAlarms', actions: ['cloudwatch:DescribeAlarms'], resources: [alarms] })],
    });
    acknowledgeWildcardResource(
      this.policy,
      alarms,
      'Rollout alarms are named by users in specs: the read is limited to alarms whose names start with the configured prefix.',
    );
  }
}
