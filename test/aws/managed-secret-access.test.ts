import {
  DescribeSecretCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { managedSecretAccess } from '../../lib/aws/managed-secret-access.js';
import { SecretServiceUnavailableError } from '../../lib/aws/secret-errors.js';
import { createSecretStore } from '../../lib/aws/secret-store.js';

const sm = mockClient(SecretsManagerClient);
const store = createSecretStore(new SecretsManagerClient({ region: 'us-east-1', maxAttempts: 1 }));
const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password-AbCdEf';
const meta = { $metadata: {} };
const serviceError = (name: string, message: string) =>
  new SecretsManagerServiceException({ name, message, $fault: 'client', $metadata: {} });

beforeEach(() => sm.reset());

describe('managedSecretAccess: whether Corral may use a secret, from DescribeSecret', () => {
  it('is managed when the secret carries corral:managed=true', async () => {
    sm.on(DescribeSecretCommand).resolves({ ...meta, ARN: arn, Name: 'db-password', Tags: [{ Key: 'corral:managed', Value: 'true' }] });
    expect(await managedSecretAccess(store, 'db-password')).toBe('managed');
  });

  it.each([
    ['no tags', undefined],
    ['other tags', [{ Key: 'team', Value: 'platform' }]],
    ['the tag with another value', [{ Key: 'corral:managed', Value: 'TRUE' }]],
  ])('is untagged with %s', async (_, Tags) => {
    sm.on(DescribeSecretCommand).resolves({ ...meta, ARN: arn, Name: 'db-password', Tags });
    expect(await managedSecretAccess(store, 'db-password')).toBe('untagged');
  });

  it('is deleted while the secret waits for deletion', async () => {
    sm.on(DescribeSecretCommand).resolves({
      ...meta, ARN: arn, Name: 'db-password', DeletedDate: new Date(), Tags: [{ Key: 'corral:managed', Value: 'true' }],
    });
    expect(await managedSecretAccess(store, 'db-password')).toBe('deleted');
  });

  it('maps ResourceNotFoundException to missing and AccessDeniedException to denied', async () => {
    sm.on(DescribeSecretCommand, { SecretId: 'gone' }).rejects(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} }));
    sm.on(DescribeSecretCommand, { SecretId: 'hidden' }).rejects(serviceError('AccessDeniedException', 'User is not authorized to perform: secretsmanager:DescribeSecret'));
    expect(await managedSecretAccess(store, 'gone')).toBe('missing');
    expect(await managedSecretAccess(store, 'hidden')).toBe('denied');
  });

  it('describes a full ARN without its json-key:version-stage:version-id suffix', async () => {
    sm.on(DescribeSecretCommand, { SecretId: arn }).resolves({ ...meta, ARN: arn, Tags: [{ Key: 'corral:managed', Value: 'true' }] });
    expect(await managedSecretAccess(store, `${arn}:password:AWSCURRENT:`)).toBe('managed');
    expect(sm.commandCalls(DescribeSecretCommand).map((c) => c.args[0].input.SecretId)).toEqual([arn]);
  });

  it('throws other failures as SecretServiceUnavailableError rather than guessing', async () => {
    sm.on(DescribeSecretCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded'));
    await expect(managedSecretAccess(store, 'db-password')).rejects.toBeInstanceOf(SecretServiceUnavailableError);
  });
});
