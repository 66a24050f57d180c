import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { infraDefaults } from './defaults.js';
import { acknowledgeWildcardResource } from './nag-acknowledgements.js';

export interface TaskControlPolicyProps {
  readonly clusterArn: string;
  readonly clusterName: string;
  /** The task execution and task roles; the only roles the holders may pass to ECS. */
  readonly passableRoles: readonly iam.IRole[];
  /** The functions' roles that start, observe and stop Corral's tasks. */
  readonly roles: readonly iam.IRole[];
}

/**
 * What a function needs to run Corral's tasks on one cluster: register task definitions of
 * `corral-*` families, run them on that cluster only, list, describe and stop its tasks, pass
 * the two task roles to ECS, and create the services' log groups.
 */
export class TaskControlPolicy extends Construct {
  readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: TaskControlPolicyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const onCluster = { ArnEquals: { 'ecs:cluster': props.clusterArn } };
    const corralTaskDefinitions = stack.formatArn({
      service: 'ecs',
      resource: 'task-definition',
      resourceName: 'corral-*:*',
    });
    const clusterTasks = stack.formatArn({ service: 'ecs', resource: 'task', resourceName: `${props.clusterName}/*` });
    const serviceLogGroups = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `${infraDefaults.serviceLogGroupPrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    this.policy = new iam.Policy(this, 'Policy', {
      roles: [...props.roles],
      statements: [
        new iam.PolicyStatement({
          sid: 'TaskDefinitions',
          // Neither action supports resource-level permissions.
          actions: ['ecs:RegisterTaskDefinition', 'ecs:DescribeTaskDefinition'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'RunOnCluster',
          actions: ['ecs:RunTask'],
          resources: [corralTaskDefinitions],
          conditions: onCluster,
        }),
        new iam.PolicyStatement({
          sid: 'ObserveAndStop',
          actions: ['ecs:StopTask', 'ecs:DescribeTasks'],
          resources: [clusterTasks],
          conditions: onCluster,
        }),
        new iam.PolicyStatement({
          sid: 'List',
          // ListTasks is authorised on container instances, which Fargate tasks have none of.
          actions: ['ecs:ListTasks'],
          resources: ['*'],
          conditions: onCluster,
        }),
        new iam.PolicyStatement({
          sid: 'TagOnCreate',
          actions: ['ecs:TagResource'],
          resources: [corralTaskDefinitions, clusterTasks],
          conditions: { StringEquals: { 'ecs:CreateAction': ['RunTask', 'RegisterTaskDefinition'] } },
        }),
        new iam.PolicyStatement({
          sid: 'PassTaskRoles',
          actions: ['iam:PassRole'],
          resources: props.passableRoles.map((role) => role.roleArn),
          conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        }),
        new iam.PolicyStatement({
          sid: 'ServiceLogGroups',
          actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'],
          resources: [serviceLogGroups],
        }),
      ],
    });

    acknowledgeWildcardResource(
      this.policy,
      '*',
      'RegisterTaskDefinition and DescribeTaskDefinition have no resource-level permissions; ListTasks is limited by the ecs:cluster condition.',
    );
    acknowledgeWildcardResource(
      this.policy,
      corralTaskDefinitions,
      'Task definitions of the corral-* families only, one revision per service revision; RunTask is limited to the cluster.',
    );
    acknowledgeWildcardResource(
      this.policy,
      clusterTasks,
      "Tasks of Corral's cluster only; their ids are assigned by ECS at run time.",
    );
    acknowledgeWildcardResource(
      this.policy,
      serviceLogGroups,
      'One log group per service under the Corral prefix; service names are not known at deploy time.',
    );
  }
}
