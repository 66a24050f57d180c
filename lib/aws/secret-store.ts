import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { PasswordRules } from '../core/rotation/password-rules.js';
import { AWSCURRENT, AWSPENDING, currentVersionOf, type VersionStages } from '../core/rotation/stages.js';
import { SecretNotTextError, toSecretStoreError } from './secret-errors.js';

/** A secret's metadata — everything DescribeSecret tells, never the value. */
export interface SecretDescription {
  arn: string;
  name: string;
  rotationEnabled: boolean;
  rotationLambdaArn?: string;
  rotationRules?: {
    automaticallyAfterDays?: number;
    /** `rate(...)` or `cron(...)`. */
    scheduleExpression?: string;
    /** The rotation window, e.g. `3h`. */
    duration?: string;
  };
  /** Epoch ms. */
  lastRotatedAt?: number;
  nextRotationAt?: number;
  lastChangedAt?: number;
  /** Set while the secret is scheduled for deletion. */
  deletedAt?: number;
  /** Version id → staging labels (only versions that carry a label). */
  versions: VersionStages;
  tags: Record<string, string>;
}

/** Which version of a secret to read; neither means AWSCURRENT. */
export interface VersionSelector {
  versionId?: string;
  stage?: string;
}

/** The Secrets Manager operations Corral's rotation and API need. */
export interface SecretStore {
  describe(secretId: string): Promise<SecretDescription>;
  /** The version's SecretString. */
  getValue(secretId: string, selector?: VersionSelector): Promise<string>;
  /**
   * Stores `value` as version `token` labelled AWSPENDING. Repeating it with the same value is a
   * no-op (Secrets Manager's ClientRequestToken idempotency); a different value is a
   * SecretVersionConflictError.
   */
  putPendingValue(secretId: string, token: string, value: string): Promise<void>;
  /**
   * Moves AWSCURRENT onto version `token` (Secrets Manager moves AWSPREVIOUS onto the version
   * that was current). A no-op when `token` already is AWSCURRENT.
   */
  moveCurrentTo(secretId: string, token: string): Promise<{ previousVersionId?: string }>;
  /** Takes AWSPENDING off version `versionId`. */
  removePending(secretId: string, versionId: string): Promise<void>;
  getRandomPassword(rules: PasswordRules): Promise<string>;
  /** Starts a rotation now (RotateSecret); answers the new version id. */
  rotateNow(secretId: string, rotationLambdaArn?: string): Promise<{ versionId?: string }>;
}

/** The SecretStore on a Secrets Manager client (real AWS, LocalStack or the local endpoint). */
export function createSecretStore(client: SecretsManagerClient): SecretStore {
  async function call<T>(
    context: { secretId: string; operation: string; versionId?: string },
    send: () => Promise<T>,
  ): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toSecretStoreError(error, context);
    }
  }

  async function describe(secretId: string): Promise<SecretDescription> {
    const out = await call({ secretId, operation: 'DescribeSecret' }, () =>
      client.send(new DescribeSecretCommand({ SecretId: secretId })),
    );
    const rules = out.RotationRules;
    return {
      arn: out.ARN ?? secretId,
      name: out.Name ?? secretId,
      rotationEnabled: out.RotationEnabled === true,
      ...(out.RotationLambdaARN ? { rotationLambdaArn: out.RotationLambdaARN } : {}),
      ...(rules
        ? {
            rotationRules: {
              ...(rules.AutomaticallyAfterDays !== undefined
                ? { automaticallyAfterDays: rules.AutomaticallyAfterDays }
                : {}),
              ...(rules.ScheduleExpression ? { scheduleExpression: rules.ScheduleExpression } : {}),
              ...(rules.Duration ? { duration: rules.Duration } : {}),
            },
          }
        : {}),
      ...epochMs('lastRotatedAt', out.LastRotatedDate),
      ...epochMs('nextRotationAt', out.NextRotationDate),
      ...epochMs('lastChangedAt', out.LastChangedDate),
      ...epochMs('deletedAt', out.DeletedDate),
      versions: out.VersionIdsToStages ?? {},
      tags: Object.fromEntries(
        (out.Tags ?? []).flatMap((tag) => (tag.Key === undefined ? [] : [[tag.Key, tag.Value ?? '']])),
      ),
    };
  }

  return {
    describe,

    async getValue(secretId, selector = {}) {
      const out = await call(
        { secretId, operation: 'GetSecretValue', ...(selector.versionId ? { versionId: selector.versionId } : {}) },
        () =>
          client.send(
            new GetSecretValueCommand({
              SecretId: secretId,
              ...(selector.versionId ? { VersionId: selector.versionId } : {}),
              ...(selector.stage ? { VersionStage: selector.stage } : {}),
            }),
          ),
      );
      if (out.SecretString === undefined) throw new SecretNotTextError(secretId);
      return out.SecretString;
    },

    async putPendingValue(secretId, token, value) {
      await call({ secretId, operation: 'PutSecretValue', versionId: token }, () =>
        client.send(
          new PutSecretValueCommand({
            SecretId: secretId,
            ClientRequestToken: token,
            SecretString: value,
            VersionStages: [AWSPENDING],
          }),
        ),
      );
    },

    async moveCurrentTo(secretId, token) {
      const current = currentVersionOf((await describe(secretId)).versions);
      if (current === token) return {};
      await call({ secretId, operation: 'UpdateSecretVersionStage', versionId: token }, () =>
        client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: secretId,
            VersionStage: AWSCURRENT,
            MoveToVersionId: token,
            ...(current ? { RemoveFromVersionId: current } : {}),
          }),
        ),
      );
      return current ? { previousVersionId: current } : {};
    },

    async removePending(secretId, versionId) {
      await call({ secretId, operation: 'UpdateSecretVersionStage', versionId }, () =>
        client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: secretId,
            VersionStage: AWSPENDING,
            RemoveFromVersionId: versionId,
          }),
        ),
      );
    },

    async getRandomPassword(rules) {
      const out = await call({ secretId: '(no secret)', operation: 'GetRandomPassword' }, () =>
        client.send(
          new GetRandomPasswordCommand({
            PasswordLength: rules.length,
            ...(rules.excludeCharacters ? { ExcludeCharacters: rules.excludeCharacters } : {}),
            ExcludePunctuation: rules.excludePunctuation,
            ExcludeNumbers: rules.excludeNumbers,
            ExcludeUppercase: rules.excludeUppercase,
            ExcludeLowercase: rules.excludeLowercase,
            IncludeSpace: rules.includeSpace,
            RequireEachIncludedType: rules.requireEachIncludedType,
          }),
        ),
      );
      if (out.RandomPassword === undefined) {
        throw toSecretStoreError(new Error('GetRandomPassword answered no password'), {
          secretId: '(no secret)',
          operation: 'GetRandomPassword',
        });
      }
      return out.RandomPassword;
    },

    async rotateNow(secretId, rotationLambdaArn) {
      const out = await call({ secretId, operation: 'RotateSecret' }, () =>
        client.send(
          new RotateSecretCommand({
            SecretId: secretId,
            ...(rotationLambdaArn ? { RotationLambdaARN: rotationLambdaArn } : {}),
          }),
        ),
      );
      return out.VersionId ? { versionId: out.VersionId } : {};
    },
  };
}

function epochMs<K extends string>(key: K, date: Date | undefined): Partial<Record<K, number>> {
  return date ? ({ [key]: date.getTime() } as Partial<Record<K, number>>) : {};
}
