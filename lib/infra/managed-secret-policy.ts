import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { managedSecretTag } from '../core/managed-secrets.js';

/** Every secret of the stack's account and Region; only ever granted with `managedSecretsOnly`. */
export function accountSecretsArn(scope: IConstruct): string {
  return Stack.of(scope).formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/** The condition that narrows a secret grant to secrets tagged corral:managed=true. */
export const managedSecretsOnly = { StringEquals: { [`aws:ResourceTag/${managedSecretTag.key}`]: managedSecretTag.value } };

/**
 * `actions` on the account's secrets tagged corral:managed=true, and no others. The tag is what
 * lets a secret made with `aws secretsmanager create-secret --tags Key=corral:managed,Value=true`
 * work with Corral with no stack change, while every untagged secret stays out of reach.
 */
export function managedSecretsStatement(scope: IConstruct, actions: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions, resources: [accountSecretsArn(scope)], conditions: managedSecretsOnly });
}

export const managedSecretsReason =
  'Secrets are named by specs at run time, so no ARN is known at deploy time; the statement is conditioned on ' +
  `aws:ResourceTag/${managedSecretTag.key}=${managedSecretTag.value}, so only secrets tagged for Corral are reachable.`;
