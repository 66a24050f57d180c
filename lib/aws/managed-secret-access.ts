import { isManagedSecret } from '../core/managed-secrets.js';
import { SecretAccessDeniedError, SecretNotFoundError } from './secret-errors.js';
import type { SecretStore } from './secret-store.js';

/**
 * Whether Corral may use a secret a spec names:
 * - `managed`: it exists and is tagged corral:managed=true;
 * - `untagged`: it exists without that tag (Corral's roles could not read it in AWS);
 * - `missing`: Secrets Manager has no such secret;
 * - `deleted`: it is scheduled for deletion;
 * - `denied`: AWS refused to describe it, which with Corral's tag-conditioned policy means it
 *   is untagged or does not exist (IAM does not say which).
 */
export type SecretAccess = 'managed' | 'untagged' | 'missing' | 'deleted' | 'denied';

/**
 * Looks the secret up with DescribeSecret. Any other failure (throttling after retries, the
 * network) is thrown as the SecretStore error family's SecretServiceUnavailableError.
 */
export async function managedSecretAccess(secrets: SecretStore, reference: string): Promise<SecretAccess> {
  try {
    const secret = await secrets.describe(describableId(reference));
    if (secret.deletedAt !== undefined) return 'deleted';
    return isManagedSecret(secret.tags) ? 'managed' : 'untagged';
  } catch (error) {
    if (error instanceof SecretNotFoundError) return 'missing';
    if (error instanceof SecretAccessDeniedError) return 'denied';
    throw error;
  }
}

/**
 * The id DescribeSecret takes for an ECS `valueFrom`: a full ARN may end in
 * `:json-key:version-stage:version-id`, which names a part of the value, not the secret.
 */
function describableId(reference: string): string {
  if (!reference.startsWith('arn:')) return reference;
  return reference.split(':').slice(0, 7).join(':');
}
