import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretNotFoundError, SecretVersionConflictError } from '../../lib/aws/secret-errors.js';
import { createSecret, labels, startHarness, valueAt, type RotationHarness } from './harness.js';

let h: RotationHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('SecretStore over the wire', () => {
  it('puts a pending value idempotently and refuses a different value under the same token', async () => {
    const { arn } = await createSecret(h, 'old-pass-w1');
    const token = 'b6f1a1c2-0000-4000-8000-000000000001';
    await h.secrets.putPendingValue(arn, token, 'value-one');
    await h.secrets.putPendingValue(arn, token, 'value-one');
    expect((await labels(h, arn))[token]).toEqual(['AWSPENDING']);
    const conflict = await h.secrets.putPendingValue(arn, token, 'value-two').catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(SecretVersionConflictError);
    expect((conflict as Error).message).not.toContain('value-');
    expect(await valueAt(h, arn, 'AWSPENDING')).toBe('value-one');
  });

  it('moves AWSCURRENT once, AWSPREVIOUS following, and reports a missing secret by class', async () => {
    const { arn } = await createSecret(h, 'old-pass-w2');
    const [old] = Object.keys(await labels(h, arn));
    const token = 'b6f1a1c2-0000-4000-8000-000000000002';
    await h.secrets.putPendingValue(arn, token, 'value-new');
    expect(await h.secrets.moveCurrentTo(arn, token)).toEqual({ previousVersionId: old });
    expect(await h.secrets.moveCurrentTo(arn, token)).toEqual({});
    await h.secrets.removePending(arn, token);
    expect(await labels(h, arn)).toEqual({ [token]: ['AWSCURRENT'], [old]: ['AWSPREVIOUS'] });
    await expect(h.secrets.describe('no/such/secret')).rejects.toBeInstanceOf(SecretNotFoundError);
    await expect(h.secrets.getValue(arn, { stage: 'AWSPENDING' })).rejects.toBeInstanceOf(SecretNotFoundError);
  });
});
