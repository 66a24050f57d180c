import { managedSecretAccess, type SecretAccess } from '../aws/managed-secret-access.js';
import { SecretServiceUnavailableError } from '../aws/secret-errors.js';
import type { SecretStore } from '../aws/secret-store.js';
import { createCommand, managedSecretTag, tagCommand } from '../core/managed-secrets.js';
import { secretNameOf } from '../core/secret-names.js';
import { fieldPath } from '../core/spec/field-error.js';
import { ApiError, type ErrorDetail, ValidationError } from './errors.js';

const tag = `${managedSecretTag.key}=${managedSecretTag.value}`;

function problem(access: Exclude<SecretAccess, 'managed'>, reference: string): string {
  switch (access) {
    case 'untagged':
      return `secret ${reference} is not tagged ${tag}, so Corral's tasks may not read it; tag it with: ${tagCommand(reference)}`;
    case 'missing':
      return `secret ${reference} does not exist; create it tagged for Corral with: ${createCommand(secretNameOf(reference))}`;
    case 'deleted':
      return `secret ${reference} is scheduled for deletion; restore it (aws secretsmanager restore-secret --secret-id ${reference}) or name another`;
    case 'denied':
      return `Corral may not read secret ${reference}: it does not exist or is not tagged ${tag}; tag it with: ${tagCommand(reference)}`;
  }
}

/**
 * Refuses a spec whose `secrets` name anything Corral may not use: every entry must be an
 * existing secret tagged corral:managed=true (400, one detail per entry, `secrets.NAME`).
 * Each distinct secret is described once, all at once (a spec names a handful).
 */
export async function requireManagedSecrets(secrets: SecretStore, references: Record<string, string>): Promise<void> {
  const distinct = [...new Set(Object.values(references))];
  let access: SecretAccess[];
  try {
    access = await Promise.all(distinct.map((reference) => managedSecretAccess(secrets, reference)));
  } catch (error) {
    if (error instanceof SecretServiceUnavailableError) {
      throw new ApiError(503, 'ServiceUnavailable', 'Secrets Manager did not answer; nothing was changed, try again', [], { cause: error });
    }
    throw error;
  }
  const byReference = new Map(distinct.map((reference, i) => [reference, access[i]]));
  const details: ErrorDetail[] = [];
  for (const [name, reference] of Object.entries(references)) {
    const found = byReference.get(reference)!;
    if (found !== 'managed') details.push({ field: fieldPath('secrets', name), message: problem(found, reference) });
  }
  if (details.length > 0) throw new ValidationError(details, 'the spec names secrets Corral may not use');
}
