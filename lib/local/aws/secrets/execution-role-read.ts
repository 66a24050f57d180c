import { isManagedSecret, managedSecretTag } from '../../../core/managed-secrets.js';
import { current, type SecretRecord, versionWithStage } from './secret-record.js';

/**
 * What the ECS agent meets when it fetches a container's `valueFrom` from Secrets Manager with
 * the task's execution role. Local mode's execution role carries Corral's policy: GetSecretValue
 * only on secrets tagged corral:managed=true. Undefined when the read succeeds; otherwise the
 * error as the service would answer it ("Code: message").
 */
export function executionRoleReadError(
  secret: SecretRecord | undefined,
  secretArn: string,
  executionRoleArn: string | undefined,
): string | undefined {
  if (!secret) return "ResourceNotFoundException: Secrets Manager can't find the specified secret.";
  if (!isManagedSecret(Object.fromEntries(secret.tags.map((t) => [t.Key, t.Value])))) {
    const role = executionRoleArn?.replace(/^arn:([^:]+):iam::(\d+):role\/(?:.*\/)?([^/]+)$/, 'arn:$1:sts::$2:assumed-role/$3/ecs-task') ?? 'the task';
    return (
      `AccessDeniedException: User: ${role} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${secretArn} ` +
      `because no identity-based policy allows the secretsmanager:GetSecretValue action (it requires the tag ${managedSecretTag.key}=${managedSecretTag.value})`
    );
  }
  if (secret.deletedAt !== undefined) {
    return "InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion.";
  }
  if (!versionWithStage(secret, current)) {
    return "ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: AWSCURRENT";
  }
  return undefined;
}
