import {
  DecryptionFailure,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  InternalServiceError,
  InvalidParameterException,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RotateSecretCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  SecretInvalidParameterError,
  SecretInvalidRequestError,
  SecretKmsError,
  SecretNotFoundError,
  SecretNotTextError,
  SecretServiceUnavailableError,
  SecretStoreError,
  SecretVersionConflictError,
} from '../../lib/aws/secret-errors.js';
import { createSecretStore } from '../../lib/aws/secret-store.js';
import { defaultPasswordRules } from '../../lib/core/rotation/password-rules.js';

const meta = { $metadata: {} };
const sm = mockClient(SecretsManagerClient);
const store = createSecretStore(new SecretsManagerClient({ region: 'us-east-1' }));
const value = 'pa55-super-secret-value';

beforeEach(() => sm.reset());

describe('SecretStore on Secrets Manager: calls', () => {
  it('describes a secret without its value, dates as epoch ms', async () => {
    sm.on(DescribeSecretCommand).resolves({
      ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf',
      Name: 'db',
      RotationEnabled: true,
      RotationLambdaARN: 'arn:aws:lambda:us-east-1:1:function:rot',
      RotationRules: { ScheduleExpression: 'rate(4 hours)', Duration: '2h' },
      LastRotatedDate: new Date(Date.UTC(2026, 0, 1)),
      NextRotationDate: new Date(Date.UTC(2026, 0, 2)),
      VersionIdsToStages: { a: ['AWSCURRENT'], b: ['AWSPREVIOUS'] },
      Tags: [{ Key: 'corral:password-length', Value: '40' }],
    });
    expect(await store.describe('db')).toEqual({
      arn: 'arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf',
      name: 'db',
      rotationEnabled: true,
      rotationLambdaArn: 'arn:aws:lambda:us-east-1:1:function:rot',
      rotationRules: { scheduleExpression: 'rate(4 hours)', duration: '2h' },
      lastRotatedAt: Date.UTC(2026, 0, 1),
      nextRotationAt: Date.UTC(2026, 0, 2),
      versions: { a: ['AWSCURRENT'], b: ['AWSPREVIOUS'] },
      tags: { 'corral:password-length': '40' },
    });
  });

  it('reads a value by version id and stage', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: value });
    expect(await store.getValue('db', { versionId: 't', stage: 'AWSPENDING' })).toBe(value);
    expect(sm.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({
      SecretId: 'db',
      VersionId: 't',
      VersionStage: 'AWSPENDING',
    });
  });

  it('refuses a binary value as text', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2]) });
    await expect(store.getValue('db')).rejects.toBeInstanceOf(SecretNotTextError);
  });

  it('puts the pending value under the token, labelled AWSPENDING', async () => {
    sm.on(PutSecretValueCommand).resolves({ ...meta });
    await store.putPendingValue('db', 'tok', value);
    expect(sm.commandCalls(PutSecretValueCommand)[0].args[0].input).toEqual({
      SecretId: 'db',
      ClientRequestToken: 'tok',
      SecretString: value,
      VersionStages: ['AWSPENDING'],
    });
  });

  it('moves AWSCURRENT from the current version to the token', async () => {
    sm.on(DescribeSecretCommand).resolves({ VersionIdsToStages: { old: ['AWSCURRENT'], tok: ['AWSPENDING'] } });
    sm.on(UpdateSecretVersionStageCommand).resolves({});
    expect(await store.moveCurrentTo('db', 'tok')).toEqual({ previousVersionId: 'old' });
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)[0].args[0].input).toEqual({
      SecretId: 'db',
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: 'tok',
      RemoveFromVersionId: 'old',
    });
  });

  it('does not touch labels when the token already is AWSCURRENT', async () => {
    sm.on(DescribeSecretCommand).resolves({ VersionIdsToStages: { tok: ['AWSCURRENT'], old: ['AWSPREVIOUS'] } });
    expect(await store.moveCurrentTo('db', 'tok')).toEqual({});
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0);
  });

  it('removes AWSPENDING from a version', async () => {
    sm.on(UpdateSecretVersionStageCommand).resolves({});
    await store.removePending('db', 'tok');
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)[0].args[0].input).toEqual({
      SecretId: 'db',
      VersionStage: 'AWSPENDING',
      RemoveFromVersionId: 'tok',
    });
  });

  it('asks GetRandomPassword with the rules', async () => {
    sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: 'x'.repeat(32) });
    expect(await store.getRandomPassword({ ...defaultPasswordRules, excludePunctuation: true })).toHaveLength(32);
    expect(sm.commandCalls(GetRandomPasswordCommand)[0].args[0].input).toEqual({
      PasswordLength: 32,
      ExcludeCharacters: defaultPasswordRules.excludeCharacters,
      ExcludePunctuation: true,
      ExcludeNumbers: false,
      ExcludeUppercase: false,
      ExcludeLowercase: false,
      IncludeSpace: false,
      RequireEachIncludedType: true,
    });
  });

  it('starts a rotation, with or without a rotation function', async () => {
    sm.on(RotateSecretCommand).resolves({ VersionId: 'v2' });
    expect(await store.rotateNow('db', 'arn:aws:lambda:us-east-1:1:function:rot')).toEqual({ versionId: 'v2' });
    await store.rotateNow('db');
    const inputs = sm.commandCalls(RotateSecretCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toEqual({ SecretId: 'db', RotationLambdaARN: 'arn:aws:lambda:us-east-1:1:function:rot' });
    expect(inputs[1]).toEqual({ SecretId: 'db' });
  });
});

describe('SecretStore on Secrets Manager: errors', () => {
  const awsError = <E extends Error>(Kind: new (o: { message: string; $metadata: object }) => E, message: string) =>
    new Kind({ message, $metadata: {} });

  it.each([
    ['ResourceNotFoundException', () => awsError(ResourceNotFoundException, "Secrets Manager can't find the specified secret."), SecretNotFoundError],
    ['InvalidRequestException', () => awsError(InvalidRequestException, "A previous rotation isn't complete. That rotation will be reattempted."), SecretInvalidRequestError],
    ['InvalidParameterException', () => awsError(InvalidParameterException, 'bad parameter'), SecretInvalidParameterError],
    ['ResourceExistsException', () => awsError(ResourceExistsException, "You can't modify an existing version, you can only create a new version."), SecretVersionConflictError],
    ['DecryptionFailure', () => awsError(DecryptionFailure, 'KMS said no'), SecretKmsError],
    ['InternalServiceError', () => awsError(InternalServiceError, 'oops'), SecretServiceUnavailableError],
    ['a network error', () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }), SecretServiceUnavailableError],
  ])('maps %s onto one family, keeping the cause and leaving the value out', async (_label, make, Kind) => {
    const error = make();
    sm.on(PutSecretValueCommand).rejects(error);
    const failure = await store.putPendingValue('db', 'tok', value).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Kind);
    expect(failure).toBeInstanceOf(SecretStoreError);
    expect((failure as Error).name).toBe(Kind.name);
    expect((failure as Error).cause).toBe(error);
    expect((failure as Error).message).toContain('db');
    expect((failure as Error).message).not.toContain(value);
  });

  it('says what was refused, in the service own words', async () => {
    sm.on(RotateSecretCommand).rejects(
      awsError(InvalidRequestException, "A previous rotation isn't complete. That rotation will be reattempted."),
    );
    await expect(store.rotateNow('db')).rejects.toThrow(
      "secret db: request refused: RotateSecret: A previous rotation isn't complete",
    );
  });

  it('maps errors of every operation', async () => {
    sm.onAnyCommand().rejects(awsError(ResourceNotFoundException, 'not found'));
    const calls: Array<() => Promise<unknown>> = [
      () => store.describe('db'),
      () => store.getValue('db'),
      () => store.moveCurrentTo('db', 't'),
      () => store.removePending('db', 't'),
      () => store.getRandomPassword(defaultPasswordRules),
      () => store.rotateNow('db'),
    ];
    for (const call of calls) await expect(call()).rejects.toBeInstanceOf(SecretNotFoundError);
  });
});
