import { Names, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { managedSecretTag } from '../core/managed-secrets.js';
import { accountSecretsArn, managedSecretsReason, managedSecretsStatement } from './managed-secret-policy.js';
import { acknowledgeWildcardResource } from './nag-acknowledgements.js';
import { checkRotationSchedule } from './rotation-schedule.js';

export interface CorralRotationProps {
  readonly rotationFunction: lambda.IFunction;
  /**
   * Principals that start rotations on demand (`POST /secrets/{name}/rotate`); they need
   * DescribeSecret on the tagged secrets too, which CorralStack grants them.
   */
  readonly rotators: readonly iam.IGrantable[];
}

export interface AttachRotationOptions {
  /**
   * Rotate as soon as the schedule is deployed. Off by default: a secret declared with Corral
   * already holds a fresh generated value, and a first rotation during the deployment would
   * make a rotation failure a deployment failure.
   */
  readonly rotateImmediatelyOnUpdate?: boolean;
}

/**
 * Corral's rotation function and who may start it. The function may touch exactly the secrets
 * tagged corral:managed=true (the four rotation actions, conditioned on the tag), Secrets
 * Manager may invoke it for this account's secrets, and the rotators may start a rotation of a
 * tagged secret. So a secret made with the AWS CLI and tagged rotates with no stack change;
 * `attach` adds a schedule (and, for a secret with its own KMS key, the key grant).
 */
export class CorralRotation extends Construct {
  readonly rotationFunction: lambda.IFunction;
  private readonly invokePermission: lambda.CfnPermission;

  constructor(scope: Construct, id: string, props: CorralRotationProps) {
    super(scope, id);
    this.rotationFunction = props.rotationFunction;
    const stack = Stack.of(this);
    const secrets = accountSecretsArn(this);
    // GetRandomPassword generates the default strategy's new values; it has no resources.
    props.rotationFunction.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] }),
    );
    props.rotationFunction.addToRolePolicy(
      managedSecretsStatement(this, [
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
      ]),
    );
    if (props.rotationFunction.role) {
      acknowledgeWildcardResource(
        props.rotationFunction.role,
        '*',
        'secretsmanager:GetRandomPassword does not support resource-level permissions.',
      );
      acknowledgeWildcardResource(props.rotationFunction.role, secrets, managedSecretsReason);
    }
    // Secrets Manager invokes the function for a rotation of any of this account's secrets; what
    // the function may then do to a secret is decided by the tag condition above.
    this.invokePermission = new lambda.CfnPermission(this, 'InvokePermission', {
      action: 'lambda:InvokeFunction',
      functionName: props.rotationFunction.functionArn,
      principal: 'secretsmanager.amazonaws.com',
      sourceArn: secrets,
      sourceAccount: stack.account,
    });
    for (const rotator of props.rotators) {
      // RotateSecret with RotationLambdaARN requires the caller to be allowed to invoke it.
      iam.Grant.addToPrincipal({
        grantee: rotator,
        actions: ['lambda:InvokeFunction'],
        resourceArns: [props.rotationFunction.functionArn],
      });
      rotator.grantPrincipal.addToPrincipalPolicy(managedSecretsStatement(this, ['secretsmanager:RotateSecret']));
      if (rotator.grantPrincipal instanceof iam.Role) acknowledgeWildcardResource(rotator.grantPrincipal, secrets, managedSecretsReason);
    }
  }

  /**
   * Rotates `secret` with Corral's function on `schedule` (`rate(...)` or `cron(...)`). A secret
   * defined in this app is tagged corral:managed=true here; an imported one must carry the tag
   * already (`aws secretsmanager tag-resource`), or the rotation is refused by IAM.
   */
  attach(
    secret: secretsmanager.ISecret,
    schedule: string,
    options: AttachRotationOptions = {},
  ): secretsmanager.CfnRotationSchedule {
    const scheduleExpression = checkRotationSchedule(schedule);
    const scope = new Construct(this, Names.nodeUniqueId(secret.node));
    const rotationFunction = this.rotationFunction;
    Tags.of(secret).add(managedSecretTag.key, managedSecretTag.value);
    secret.encryptionKey?.grantEncryptDecrypt(
      new kms.ViaServicePrincipal(`secretsmanager.${Stack.of(this).region}.amazonaws.com`, rotationFunction.grantPrincipal),
    );
    const rotation = new secretsmanager.CfnRotationSchedule(scope, 'Schedule', {
      secretId: secret.secretArn,
      rotationLambdaArn: rotationFunction.functionArn,
      rotationRules: { scheduleExpression },
      rotateImmediatelyOnUpdate: options.rotateImmediatelyOnUpdate ?? false,
    });
    // Secrets Manager checks that it may invoke the function when the schedule is created.
    rotation.node.addDependency(this.invokePermission);
    if (rotationFunction.role) rotation.node.addDependency(rotationFunction.role);
    return rotation;
  }
}
