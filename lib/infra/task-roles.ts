import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { infraDefaults } from './defaults.js';
import { managedSecretsReason, managedSecretsStatement, accountSecretsArn } from './managed-secret-policy.js';
import { acknowledgeWildcardResource } from './nag-acknowledgements.js';

/**
 * The two roles every Corral task definition names.
 *
 * The execution role is what ECS itself uses to start a task: pull the image, create the
 * per-service log group and write to it, and read the secrets the spec references (only those tagged corral:managed=true). The task
 * role is what the containers' code gets; it starts with no permissions — add to it
 * (`taskRole.addToPolicy`) what your services need.
 */
export class TaskRoles extends Construct {
  readonly executionRole: iam.Role;
  readonly taskRole: iam.Role;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    // Only ECS tasks of this account may assume the roles (confused-deputy protection).
    const ecsTasks = new iam.ServicePrincipal('ecs-tasks.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ecs', resource: '*' }) },
    });

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: ecsTasks,
      description: 'Corral task execution role: image pull, logs, secrets',
    });
    this.taskRole = new iam.Role(this, 'TaskRole', {
      assumedBy: ecsTasks,
      description: 'Corral task role: permissions of the containers',
    });

    const serviceLogGroups = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `${infraDefaults.serviceLogGroupPrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const repositories = `arn:${stack.partition}:ecr:*:*:repository/*`;

    const policy = new iam.Policy(this, 'ExecutionPolicy', {
      statements: [
        // GetAuthorizationToken has no resource-level permissions.
        new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
        new iam.PolicyStatement({
          actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
          resources: [repositories],
        }),
        new iam.PolicyStatement({
          actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [serviceLogGroups],
        }),
        // ECS reads a task's `secrets` with this role when the task starts.
        managedSecretsStatement(this, ['secretsmanager:GetSecretValue']),
      ],
    });
    policy.attachToRole(this.executionRole);

    acknowledgeWildcardResource(policy, '*', 'ecr:GetAuthorizationToken does not support resource-level permissions.');
    acknowledgeWildcardResource(
      policy,
      repositories,
      'Service specs name any image the user chooses; ECR repository policies still decide cross-account pulls.',
    );
    acknowledgeWildcardResource(
      policy,
      serviceLogGroups,
      'One log group per service, created on first start under the Corral prefix; service names are not known at deploy time.',
    );
    acknowledgeWildcardResource(policy, accountSecretsArn(this), managedSecretsReason);
  }
}
