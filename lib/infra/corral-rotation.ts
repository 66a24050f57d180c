import { Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag-acknowledgements.js';
import { checkRotationSchedule } from './rotation-schedule.js';

export interface CorralRotationProps {
  readonly rotationFunction: lambda.IFunction;
  /** Principals that start rotations on demand (`POST /secrets/{name}/rotate`). */
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
 * Attaches Corral's rotation function to secrets. The function may touch exactly the secrets
 * attached here: each `attach` grants it the four rotation actions on that secret (and its
 * KMS key through Secrets Manager), lets Secrets Manager invoke it for that secret only, and
 * lets the rotators start a rotation of it.
 */
export class CorralRotation extends Construct {
  readonly rotationFunction: lambda.IFunction;
  private readonly rotators: readonly iam.IGrantable[];

  constructor(scope: Construct, id: string, props: CorralRotationProps) {
    super(scope, id);
    this.rotationFunction = props.rotationFunction;
    this.rotators = props.rotators;
    // GetRandomPassword generates the default strategy's new values; it has no resources.
    props.rotationFunction.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] }),
    );
    if (props.rotationFunction.role) {
      acknowledgeWildcardResource(
        props.rotationFunction.role,
        '*',
        'secretsmanager:GetRandomPassword does not support resource-level permissions.',
      );
    }
    // RotateSecret with RotationLambdaARN requires the caller to be allowed to invoke it.
    for (const rotator of props.rotators) {
      iam.Grant.addToPrincipal({
        grantee: rotator,
        actions: ['lambda:InvokeFunction'],
        resourceArns: [props.rotationFunction.functionArn],
      });
    }
  }

  /** Rotates `secret` with Corral's function on `schedule` (`rate(...)` or `cron(...)`). */
  attach(
    secret: secretsmanager.ISecret,
    schedule: string,
    options: AttachRotationOptions = {},
  ): secretsmanager.CfnRotationSchedule {
    const scheduleExpression = checkRotationSchedule(schedule);
    const scope = new Construct(this, Names.nodeUniqueId(secret.node));
    // A secret imported by name has a partial ARN; its full ARN ends in six random characters.
    const secretArn = secret.secretFullArn ?? `${secret.secretArn}-??????`;
    const rotationFunction = this.rotationFunction;

    rotationFunction.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        resources: [secretArn],
      }),
    );
    secret.encryptionKey?.grantEncryptDecrypt(
      new kms.ViaServicePrincipal(`secretsmanager.${Stack.of(this).region}.amazonaws.com`, rotationFunction.grantPrincipal),
    );
    for (const rotator of this.rotators) {
      iam.Grant.addToPrincipal({
        grantee: rotator,
        actions: ['secretsmanager:RotateSecret', 'secretsmanager:DescribeSecret'],
        resourceArns: [secretArn],
      });
    }
    const permission = new lambda.CfnPermission(scope, 'InvokePermission', {
      action: 'lambda:InvokeFunction',
      functionName: rotationFunction.functionArn,
      principal: 'secretsmanager.amazonaws.com',
      sourceArn: secretArn,
      sourceAccount: Stack.of(this).account,
    });

    const rotation = new secretsmanager.CfnRotationSchedule(scope, 'Schedule', {
      secretId: secret.secretArn,
      rotationLambdaArn: rotationFunction.functionArn,
      rotationRules: { scheduleExpression },
      rotateImmediatelyOnUpdate: options.rotateImmediatelyOnUpdate ?? false,
    });
    // Secrets Manager checks that it may invoke the function when the schedule is created.
    rotation.node.addDependency(permission);
    if (rotationFunction.role) rotation.node.addDependency(rotationFunction.role);
    return rotation;
  }
}
