/**
 * The mark on a Secrets Manager secret that lets Corral touch it: its tasks' execution role may
 * read it, the API may describe and rotate it, the rotation function may change it. IAM checks
 * the same tag (`aws:ResourceTag/corral:managed`), so the API's answer and AWS's agree.
 */
export const managedSecretTag = { key: 'corral:managed', value: 'true' } as const;

export function isManagedSecret(tags: Record<string, string>): boolean {
  return tags[managedSecretTag.key] === managedSecretTag.value;
}

/** The AWS CLI command that marks an existing secret for Corral. */
export function tagCommand(secretId: string): string {
  return `aws secretsmanager tag-resource --secret-id ${secretId} --tags Key=${managedSecretTag.key},Value=${managedSecretTag.value}`;
}

/** The AWS CLI command that creates a secret Corral may use. */
export function createCommand(secretName: string): string {
  return `aws secretsmanager create-secret --name ${secretName} --secret-string ... --tags Key=${managedSecretTag.key},Value=${managedSecretTag.value}`;
}
