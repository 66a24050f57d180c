import { AwsError } from '../errors.js';
import { epochSeconds } from '../input.js';
import type { SecretRecord, SecretTag } from './secret-record.js';

const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);

/** DescribeSecret's answer; ListSecrets uses the same shape with `SecretVersionsToStages`. */
export function describeSecret(secret: SecretRecord, versionsField: 'VersionIdsToStages' | 'SecretVersionsToStages'): Record<string, unknown> {
  return {
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    KmsKeyId: secret.kmsKeyId,
    RotationEnabled: secret.rotation.enabled,
    RotationLambdaARN: secret.rotation.lambdaArn,
    RotationRules: secret.rotation.rules,
    LastRotatedDate: epochSeconds(secret.rotation.lastRotatedAt),
    LastChangedDate: epochSeconds(secret.lastChangedAt),
    LastAccessedDate: epochSeconds(secret.lastAccessedAt),
    DeletedDate: epochSeconds(secret.deletedAt),
    NextRotationDate: secret.rotation.enabled ? epochSeconds(secret.rotation.nextRotationAt) : undefined,
    Tags: secret.tags,
    [versionsField]: Object.fromEntries(secret.versions.filter((v) => v.stages.length > 0).map((v) => [v.id, [...v.stages]])),
    CreatedDate: epochSeconds(secret.createdAt),
  };
}

/** ListSecrets filters: prefix match on the key's field; a value starting with "!" negates. */
export function matchesFilter(secret: SecretRecord, filter: { Key?: string; Values?: string[] }): boolean {
  const fields: Record<string, string[]> = {
    name: [secret.name],
    description: secret.description ? [secret.description] : [],
    'tag-key': secret.tags.map((t) => t.Key),
    'tag-value': secret.tags.map((t) => t.Value),
  };
  fields.all = Object.values(fields).flat();
  const candidates = fields[filter.Key ?? ''];
  if (!candidates) throw invalidParameter(`Invalid filter key: ${String(filter.Key)}`);
  return (filter.Values ?? []).some((value) =>
    value.startsWith('!') ? !candidates.some((c) => c.startsWith(value.slice(1))) : candidates.some((c) => c.startsWith(value)),
  );
}

/** Secrets Manager tag rules: at most 50, keys 1..128, values ≤ 256, `aws:` reserved. */
export function validateSecretTags(raw: unknown): SecretTag[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.length > 50) throw invalidParameter('Tags must be a list of at most 50 tags.');
  return raw.map((t: { Key?: unknown; Value?: unknown }) => {
    if (typeof t.Key !== 'string' || t.Key.length < 1 || t.Key.length > 128) throw invalidParameter('Tag keys must be 1 to 128 characters.');
    if (t.Key.startsWith('aws:')) throw invalidParameter(`Tag keys with the prefix 'aws:' are reserved: ${t.Key}`);
    const value = t.Value ?? '';
    if (typeof value !== 'string' || value.length > 256) throw invalidParameter('Tag values must be at most 256 characters.');
    return { Key: t.Key, Value: value };
  });
}
