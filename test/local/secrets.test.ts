import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RotateSecretCommand,
  type SecretsManagerClient,
  TagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { RotationEvent } from '../../lib/local/aws/index.js';
import { type Harness, startHarness } from './local-aws-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const token = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const rotationArn = 'arn:aws:lambda:us-east-1:000000000000:function:corral-rotation';

/** A rotation function written the way AWS's templates are: every step idempotent. */
function rotationFunction(client: SecretsManagerClient, steps: RotationEvent[], failAt?: RotationEvent['Step']) {
  return async (event: RotationEvent): Promise<void> => {
    steps.push(event);
    if (event.Step === failAt) throw new Error(`${failAt} failed`);
    const { SecretId, ClientRequestToken } = event;
    if (event.Step === 'createSecret') {
      try {
        await client.send(new GetSecretValueCommand({ SecretId, VersionId: ClientRequestToken, VersionStage: 'AWSPENDING' }));
      } catch {
        await client.send(
          new PutSecretValueCommand({ SecretId, ClientRequestToken, SecretString: `rotated-${ClientRequestToken}`, VersionStages: ['AWSPENDING'] }),
        );
      }
    }
    if (event.Step === 'finishSecret') {
      const described = await client.send(new DescribeSecretCommand({ SecretId }));
      const currentVersion = Object.entries(described.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
      if (currentVersion === ClientRequestToken) return;
      await client.send(
        new UpdateSecretVersionStageCommand({ SecretId, VersionStage: 'AWSCURRENT', MoveToVersionId: ClientRequestToken, RemoveFromVersionId: currentVersion }),
      );
    }
  };
}

describe('Secrets Manager through the SDK', () => {
  test('create, get by stage and version, put a new current value', async () => {
    const created = await h.secrets.send(new CreateSecretCommand({ Name: 'db/password', SecretString: 'one', ClientRequestToken: token(1) }));
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:db\/password-[A-Za-z0-9]{6}$/);
    expect(created.VersionId).toBe(token(1));
    await expect(h.secrets.send(new CreateSecretCommand({ Name: 'db/password', SecretString: 'x' }))).rejects.toBeInstanceOf(ResourceExistsException);
    // A retry of the same request (same token and value) succeeds with the same version.
    const retried = await h.secrets.send(new CreateSecretCommand({ Name: 'db/password', SecretString: 'one', ClientRequestToken: token(1) }));
    expect(retried).toMatchObject({ ARN: created.ARN, VersionId: token(1) });

    const put = await h.secrets.send(new PutSecretValueCommand({ SecretId: 'db/password', SecretString: 'two', ClientRequestToken: token(2) }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    // Same token and value again: idempotent; same token, other value: refused.
    await h.secrets.send(new PutSecretValueCommand({ SecretId: created.ARN, SecretString: 'two', ClientRequestToken: token(2) }));
    await expect(
      h.secrets.send(new PutSecretValueCommand({ SecretId: 'db/password', SecretString: 'three', ClientRequestToken: token(2) })),
    ).rejects.toBeInstanceOf(ResourceExistsException);

    const currentValue = await h.secrets.send(new GetSecretValueCommand({ SecretId: 'db/password' }));
    expect(currentValue).toMatchObject({ SecretString: 'two', VersionId: token(2), VersionStages: ['AWSCURRENT'], Name: 'db/password' });
    const previous = await h.secrets.send(new GetSecretValueCommand({ SecretId: created.ARN, VersionStage: 'AWSPREVIOUS' }));
    expect(previous).toMatchObject({ SecretString: 'one', VersionId: token(1) });
    const byVersion = await h.secrets.send(new GetSecretValueCommand({ SecretId: created.ARN!.slice(0, -7), VersionId: token(1) }));
    expect(byVersion.SecretString).toBe('one');
    await expect(h.secrets.send(new GetSecretValueCommand({ SecretId: 'db/password', VersionStage: 'AWSPENDING' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(h.secrets.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('staging labels move only when their current version is named', async () => {
    await h.secrets.send(new CreateSecretCommand({ Name: 'stages', SecretString: 'a', ClientRequestToken: token(10) }));
    await h.secrets.send(new PutSecretValueCommand({ SecretId: 'stages', SecretString: 'b', ClientRequestToken: token(11), VersionStages: ['AWSPENDING'] }));
    await expect(
      h.secrets.send(new UpdateSecretVersionStageCommand({ SecretId: 'stages', VersionStage: 'AWSCURRENT', MoveToVersionId: token(11) })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await h.secrets.send(
      new UpdateSecretVersionStageCommand({ SecretId: 'stages', VersionStage: 'AWSCURRENT', MoveToVersionId: token(11), RemoveFromVersionId: token(10) }),
    );
    const versions = await h.secrets.send(new ListSecretVersionIdsCommand({ SecretId: 'stages' }));
    const stages = Object.fromEntries(versions.Versions!.map((v) => [v.VersionId, v.VersionStages]));
    expect(stages).toEqual({ [token(10)]: ['AWSPREVIOUS'], [token(11)]: ['AWSPENDING', 'AWSCURRENT'] });
  });

  test('RotateSecret runs the four steps in order, moves AWSCURRENT and records the schedule', async () => {
    const created = await h.secrets.send(new CreateSecretCommand({ Name: 'api-key', SecretString: 'initial' }));
    const steps: RotationEvent[] = [];
    h.aws.setRotationHandler(rotationArn, rotationFunction(h.secrets, steps));
    const rotated = await h.secrets.send(
      new RotateSecretCommand({ SecretId: 'api-key', RotationLambdaARN: rotationArn, RotationRules: { AutomaticallyAfterDays: 30 }, ClientRequestToken: token(20) }),
    );
    expect(rotated.VersionId).toBe(token(20));
    await h.bus.idle();
    expect(steps.map((s) => s.Step)).toEqual(['createSecret', 'setSecret', 'testSecret', 'finishSecret']);
    expect(steps.every((s) => s.SecretId === created.ARN && s.ClientRequestToken === token(20))).toBe(true);
    expect((await h.secrets.send(new GetSecretValueCommand({ SecretId: 'api-key' }))).SecretString).toBe(`rotated-${token(20)}`);

    const described = await h.secrets.send(new DescribeSecretCommand({ SecretId: 'api-key' }));
    expect(described).toMatchObject({ RotationEnabled: true, RotationLambdaARN: rotationArn, RotationRules: { AutomaticallyAfterDays: 30 } });
    expect(described.LastRotatedDate).toEqual(new Date(h.clock.now()));
    expect(described.NextRotationDate).toEqual(new Date(h.clock.now() + 30 * 86_400_000));
    expect(described.VersionIdsToStages?.[token(20)]).toEqual(['AWSCURRENT']);

    // The schedule rotates again by itself 30 days later.
    await h.bus.runFor(h.clock, 30 * 86_400_000);
    expect(steps).toHaveLength(8);
    expect(steps[4].ClientRequestToken).not.toBe(token(20));
  });

  test('RotateSecret stages the token as an empty AWSPENDING version before createSecret', async () => {
    await h.secrets.send(new CreateSecretCommand({ Name: 'staged', SecretString: 'initial' }));
    const seen: { stages?: string[]; read?: string }[] = [];
    h.aws.setRotationHandler('staging-probe', async (event) => {
      if (event.Step !== 'createSecret') return;
      const described = await h.secrets.send(new DescribeSecretCommand({ SecretId: event.SecretId }));
      const read = await h.secrets
        .send(new GetSecretValueCommand({ SecretId: event.SecretId, VersionId: event.ClientRequestToken, VersionStage: 'AWSPENDING' }))
        .then(() => 'value', (error: Error) => error.name);
      seen.push({ stages: described.VersionIdsToStages?.[event.ClientRequestToken], read });
      throw new Error('stop after createSecret');
    });
    await h.secrets.send(new RotateSecretCommand({ SecretId: 'staged', RotationLambdaARN: 'staging-probe', ClientRequestToken: token(30) }));
    await h.bus.idle();
    expect(seen).toEqual([{ stages: ['AWSPENDING'], read: 'ResourceNotFoundException' }]);
  });

  test('a rotation that fails leaves AWSPENDING, and the next RotateSecret is refused until it completes', async () => {
    await h.secrets.send(new CreateSecretCommand({ Name: 'flaky', SecretString: 'initial' }));
    const steps: RotationEvent[] = [];
    const flakyArn = 'arn:aws:lambda:us-east-1:000000000000:function:flaky-rotation';
    h.aws.setRotationHandler('flaky-rotation', rotationFunction(h.secrets, steps, 'testSecret'));
    const reported: unknown[][] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args) => void reported.push(args));
    try {
      await h.secrets.send(new RotateSecretCommand({ SecretId: 'flaky', RotationLambdaARN: flakyArn, ClientRequestToken: token(30) }));
      await h.bus.idle();
    } finally {
      spy.mockRestore();
    }
    expect(reported.map((args) => String(args[0]))).toEqual(['rotation of flaky failed at testSecret']);
    expect(steps.map((s) => s.Step)).toEqual(['createSecret', 'setSecret', 'testSecret']);
    expect((await h.secrets.send(new GetSecretValueCommand({ SecretId: 'flaky' }))).SecretString).toBe('initial');
    await expect(h.secrets.send(new RotateSecretCommand({ SecretId: 'flaky', ClientRequestToken: token(31) }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: "A previous rotation isn't complete. That rotation will be reattempted.",
    });
    // Retrying the same rotation (same token) with a working function completes it.
    h.aws.setRotationHandler('flaky-rotation', rotationFunction(h.secrets, steps));
    await h.secrets.send(new RotateSecretCommand({ SecretId: 'flaky', ClientRequestToken: token(30) }));
    await h.bus.idle();
    expect((await h.secrets.send(new GetSecretValueCommand({ SecretId: 'flaky' }))).SecretString).toBe(`rotated-${token(30)}`);
  });

  test('rotation needs a function, and rules follow the service limits', async () => {
    await h.secrets.send(new CreateSecretCommand({ Name: 'plain', SecretString: 'x' }));
    await expect(h.secrets.send(new RotateSecretCommand({ SecretId: 'plain' }))).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(
      h.secrets.send(new RotateSecretCommand({ SecretId: 'plain', RotationLambdaARN: rotationArn, RotationRules: { ScheduleExpression: 'rate(1 hours)' } })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      h.secrets.send(new RotateSecretCommand({ SecretId: 'plain', RotationLambdaARN: rotationArn, RotationRules: { ScheduleExpression: 'cron(0 4 * * MON *)' } })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  test('a cron rotation schedule sets the next rotation date', async () => {
    await h.secrets.send(new CreateSecretCommand({ Name: 'weekly', SecretString: 'x' }));
    h.aws.setRotationHandler(rotationArn, rotationFunction(h.secrets, []));
    await h.secrets.send(
      new RotateSecretCommand({ SecretId: 'weekly', RotationLambdaARN: rotationArn, RotationRules: { ScheduleExpression: 'cron(0 4 ? * MON *)' } }),
    );
    await h.bus.idle();
    const described = await h.secrets.send(new DescribeSecretCommand({ SecretId: 'weekly' }));
    const next = described.NextRotationDate!;
    expect(next.getUTCDay()).toBe(1);
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([4, 0]);
    expect(next.getTime() - h.clock.now()).toBeGreaterThan(0);
    expect(next.getTime() - h.clock.now()).toBeLessThanOrEqual(7 * 86_400_000);
  });

  test('GetRandomPassword honours length and exclusions', async () => {
    const out = await h.secrets.send(new GetRandomPasswordCommand({ PasswordLength: 40, ExcludePunctuation: true, ExcludeCharacters: 'abc' }));
    expect(out.RandomPassword).toHaveLength(40);
    expect(out.RandomPassword).toMatch(/^[d-zA-Z0-9]+$/);
    expect(out.RandomPassword).toMatch(/[0-9]/);
    expect(out.RandomPassword).toMatch(/[A-Z]/);
    const defaults = await h.secrets.send(new GetRandomPasswordCommand({}));
    expect(defaults.RandomPassword).toHaveLength(32);
  });

  test('list by tag, delete with a recovery window and by force', async () => {
    await h.secrets.send(new CreateSecretCommand({ Name: 'tagged', SecretString: 'x' }));
    await h.secrets.send(new TagResourceCommand({ SecretId: 'tagged', Tags: [{ Key: 'corral', Value: 'yes' }] }));
    const listed = await h.secrets.send(new ListSecretsCommand({ Filters: [{ Key: 'tag-key', Values: ['corral'] }] }));
    expect(listed.SecretList?.map((s) => s.Name)).toEqual(['tagged']);

    const deleted = await h.secrets.send(new DeleteSecretCommand({ SecretId: 'tagged', RecoveryWindowInDays: 7 }));
    expect(deleted.DeletionDate).toEqual(new Date(h.clock.now() + 7 * 86_400_000));
    await expect(h.secrets.send(new GetSecretValueCommand({ SecretId: 'tagged' }))).rejects.toBeInstanceOf(InvalidRequestException);
    await h.bus.runFor(h.clock, 8 * 86_400_000);
    await expect(h.secrets.send(new DescribeSecretCommand({ SecretId: 'tagged' }))).rejects.toBeInstanceOf(ResourceNotFoundException);

    await h.secrets.send(new DeleteSecretCommand({ SecretId: 'plain', ForceDeleteWithoutRecovery: true }));
    await h.secrets.send(new CreateSecretCommand({ Name: 'plain', SecretString: 'again' }));
  });
});
