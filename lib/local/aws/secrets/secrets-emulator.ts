import { randomUUID } from 'node:crypto';
import type { Clock, ClockTimer } from '../../../clock.js';
import type { LocalBus } from '../../bus.js';
import { AwsError } from '../errors.js';
import { epochSeconds, Input } from '../input.js';
import type { RotationHandler, RotationEvent } from '../options.js';
import { decodeToken, page } from '../paging.js';
import { randomPassword } from './random-password.js';
import { nextRotation, validateRotationRules } from './rotation-rules.js';
import {
  attachStage,
  current,
  detachStage,
  markedForDeletion,
  pending,
  type SecretRecord,
  type SecretTag,
  type SecretVersion,
  secretNotFound,
  unfinishedRotation,
  versionWithStage,
} from './secret-record.js';

export interface SecretsEmulatorOptions {
  clock: Clock;
  bus: LocalBus;
  accountId: string;
  region: string;
}

const namePattern = /^[A-Za-z0-9/_+=.@-]+$/;
const tokenRules = { min: 32, max: 64 } as const;
const dayMs = 86_400_000;
const steps: RotationEvent['Step'][] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];

const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);
const invalidRequest = (message: string): AwsError => new AwsError('InvalidRequestException', message);

/** The Secrets Manager operations Corral and the AWS CLI use, over an in-memory account. */
export class SecretsEmulator {
  private readonly secrets = new Map<string, SecretRecord>();
  private readonly rotationHandlers = new Map<string, RotationHandler>();
  private readonly timers = new Map<string, ClockTimer>();
  constructor(private readonly options: SecretsEmulatorOptions) {}

  private log(message: string, error: unknown): void {
    this.options.bus.reportFailure(message, error);
  }

  /** Registers the rotation function for a Lambda ARN or function name. */
  setRotationHandler(nameOrArn: string, handler: RotationHandler): void {
    this.rotationHandlers.set(functionName(nameOrArn), handler);
  }

  handle(operation: string, body: unknown): unknown {
    const input = Input.of(body, 'InvalidParameterException');
    switch (operation) {
      case 'CreateSecret':
        return this.createSecret(input);
      case 'DescribeSecret':
        return this.describe(this.find(input), 'VersionIdsToStages');
      case 'GetSecretValue':
        return this.getSecretValue(input);
      case 'PutSecretValue':
        return this.putSecretValue(input);
      case 'UpdateSecretVersionStage':
        return this.updateSecretVersionStage(input);
      case 'ListSecretVersionIds':
        return this.listSecretVersionIds(input);
      case 'ListSecrets':
        return this.listSecrets(input);
      case 'DeleteSecret':
        return this.deleteSecret(input);
      case 'GetRandomPassword':
        return { RandomPassword: randomPassword(input) };
      case 'TagResource': {
        const secret = this.find(input);
        const tags = validateSecretTags(input.raw('Tags'));
        const keys = new Set(tags.map((t) => t.Key));
        secret.tags = [...secret.tags.filter((t) => !keys.has(t.Key)), ...tags];
        return {};
      }
      case 'UntagResource': {
        const secret = this.find(input);
        const keys = input.strings('TagKeys') ?? [];
        secret.tags = secret.tags.filter((t) => !keys.includes(t.Key));
        return {};
      }
      case 'RotateSecret':
        return this.rotateSecret(input);
      case 'CancelRotateSecret': {
        const secret = this.live(this.find(input));
        secret.rotation.enabled = false;
        secret.rotation.nextRotationAt = undefined;
        this.clearTimer(secret.arn);
        const unfinished = unfinishedRotation(secret);
        if (unfinished) detachStage(unfinished, pending);
        return { ARN: secret.arn, Name: secret.name, VersionId: unfinished?.id };
      }
      default:
        throw new AwsError('UnknownOperationException', `Operation ${operation} is not supported by the local Secrets Manager emulator.`);
    }
  }

  private createSecret(input: Input): unknown {
    const name = input.string('Name', { required: true, min: 1, max: 512, pattern: namePattern });
    const existing = this.secrets.get(name);
    if (existing?.deletedAt !== undefined) {
      throw invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
    }
    if (existing) throw new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    const value = secretValue(input);
    const now = this.options.clock.now();
    const secret: SecretRecord = {
      arn: `arn:aws:secretsmanager:${this.options.region}:${this.options.accountId}:secret:${name}-${arnSuffix()}`,
      name,
      description: input.string('Description', { max: 2048 }),
      kmsKeyId: input.string('KmsKeyId'),
      tags: validateSecretTags(input.raw('Tags')),
      versions: [],
      createdAt: now,
      lastChangedAt: now,
      rotation: { enabled: false },
    };
    let versionId: string | undefined;
    if (value) {
      versionId = input.string('ClientRequestToken', tokenRules) ?? randomUUID();
      const version: SecretVersion = { id: versionId, ...value, stages: [], createdAt: now };
      secret.versions.push(version);
      attachStage(secret, current, version);
    }
    this.secrets.set(name, secret);
    return { ARN: secret.arn, Name: name, VersionId: versionId };
  }

  private getSecretValue(input: Input): unknown {
    const secret = this.live(this.find(input));
    const versionId = input.string('VersionId', tokenRules);
    const stage = input.string('VersionStage', { min: 1, max: 256 });
    let version: SecretVersion | undefined;
    if (versionId !== undefined) {
      version = secret.versions.find((v) => v.id === versionId);
      if (!version || (stage !== undefined && !version.stages.includes(stage))) {
        throw new AwsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`);
      }
    } else {
      version = versionWithStage(secret, stage ?? current);
      if (!version) {
        throw new AwsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${stage ?? current}`);
      }
    }
    const today = Math.floor(this.options.clock.now() / dayMs) * dayMs;
    version.lastAccessedAt = today;
    secret.lastAccessedAt = today;
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.id,
      SecretString: version.secretString,
      SecretBinary: version.secretBinary,
      VersionStages: [...version.stages],
      CreatedDate: epochSeconds(version.createdAt),
    };
  }

  private putSecretValue(input: Input): unknown {
    const secret = this.live(this.find(input));
    const value = secretValue(input);
    if (!value) throw invalidParameter('You must provide either SecretString or SecretBinary.');
    const versionId = input.string('ClientRequestToken', tokenRules) ?? randomUUID();
    const stages = input.strings('VersionStages') ?? [current];
    if (stages.length < 1 || stages.length > 20) throw invalidParameter('VersionStages must list 1 to 20 staging labels.');
    const existing = secret.versions.find((v) => v.id === versionId);
    if (existing) {
      // Idempotent retry: same token and value changes nothing; a different value is refused.
      if (existing.secretString !== value.secretString || existing.secretBinary !== value.secretBinary) {
        throw new AwsError('ResourceExistsException', "You can't modify an existing version, you can only create a new version.");
      }
      return { ARN: secret.arn, Name: secret.name, VersionId: existing.id, VersionStages: [...existing.stages] };
    }
    const now = this.options.clock.now();
    const version: SecretVersion = { id: versionId, ...value, stages: [], createdAt: now };
    secret.versions.push(version);
    for (const stage of stages) attachStage(secret, stage, version);
    secret.lastChangedAt = now;
    return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: [...version.stages] };
  }

  private updateSecretVersionStage(input: Input): unknown {
    const secret = this.live(this.find(input));
    const stage = input.string('VersionStage', { required: true, min: 1, max: 256 });
    const removeFrom = input.string('RemoveFromVersionId', tokenRules);
    const moveTo = input.string('MoveToVersionId', tokenRules);
    const holder = versionWithStage(secret, stage);
    const target = moveTo === undefined ? undefined : secret.versions.find((v) => v.id === moveTo);
    if (moveTo !== undefined && !target) throw invalidParameter(`The version ${moveTo} doesn't exist for this secret.`);
    if (removeFrom !== undefined && holder?.id !== removeFrom) {
      throw invalidParameter(`The staging label ${stage} is not attached to version ${removeFrom}.`);
    }
    if (target && holder && holder !== target && removeFrom === undefined) {
      throw invalidParameter(
        `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.id}, ` +
          'so you must explicitly reference that version in RemoveFromVersionId.',
      );
    }
    if (target) attachStage(secret, stage, target);
    else if (holder) detachStage(holder, stage);
    secret.lastChangedAt = this.options.clock.now();
    return { ARN: secret.arn, Name: secret.name };
  }

  private listSecretVersionIds(input: Input): unknown {
    const secret = this.find(input);
    const includeDeprecated = input.boolean('IncludeDeprecated', false);
    const maxResults = input.integer('MaxResults', { min: 1, max: 100, fallback: 100 });
    const filterKey = `${secret.arn}|${includeDeprecated}`;
    const after = decodeToken(input.string('NextToken'), filterKey, invalidParameter);
    const versions = secret.versions.filter((v) => includeDeprecated || v.stages.length > 0);
    const positions = new Map(secret.versions.map((v, i) => [v, i]));
    const result = page(versions, (v) => positions.get(v) ?? 0, after, maxResults, filterKey);
    return {
      ARN: secret.arn,
      Name: secret.name,
      Versions: result.items.map((v) => ({
        VersionId: v.id,
        VersionStages: [...v.stages],
        CreatedDate: epochSeconds(v.createdAt),
        LastAccessedDate: epochSeconds(v.lastAccessedAt),
      })),
      NextToken: result.nextToken,
    };
  }

  private listSecrets(input: Input): unknown {
    const maxResults = input.integer('MaxResults', { min: 1, max: 100, fallback: 100 });
    const includePlannedDeletion = input.boolean('IncludePlannedDeletion', false);
    const filters = input.array<{ Key?: string; Values?: string[] }>('Filters') ?? [];
    const sortOrder = input.string('SortOrder') ?? 'asc';
    const filterKey = JSON.stringify([filters, includePlannedDeletion, sortOrder]);
    const after = decodeToken(input.string('NextToken'), filterKey, invalidParameter);
    const all = [...this.secrets.values()]
      .filter((s) => includePlannedDeletion || s.deletedAt === undefined)
      .filter((s) => filters.every((f) => matchesFilter(s, f)))
      .sort((a, b) => (sortOrder === 'desc' ? b.createdAt - a.createdAt : a.createdAt - b.createdAt));
    const positions = new Map(all.map((s, i) => [s, i]));
    const result = page(all, (s) => positions.get(s) ?? 0, after, maxResults, filterKey);
    return { SecretList: result.items.map((s) => this.describe(s, 'SecretVersionsToStages')), NextToken: result.nextToken };
  }

  private deleteSecret(input: Input): unknown {
    const secret = this.find(input);
    const force = input.boolean('ForceDeleteWithoutRecovery', false);
    const days = input.integer('RecoveryWindowInDays', { min: 7, max: 30 });
    if (force && days !== undefined) {
      throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    }
    if (secret.deletedAt !== undefined && !force) throw markedForDeletion();
    const now = this.options.clock.now();
    this.clearTimer(secret.arn);
    if (force) {
      this.secrets.delete(secret.name);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(now) };
    }
    secret.deletedAt = now;
    secret.deletionDue = now + (days ?? 30) * dayMs;
    this.timers.set(
      secret.arn,
      this.options.clock.setTimeout(() => {
        if (this.secrets.get(secret.name) === secret) this.secrets.delete(secret.name);
      }, secret.deletionDue - now),
    );
    return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(secret.deletionDue) };
  }

  private rotateSecret(input: Input): unknown {
    const secret = this.live(this.find(input));
    const token = input.string('ClientRequestToken', tokenRules) ?? randomUUID();
    const lambdaArn = input.string('RotationLambdaARN', { max: 2048 }) ?? secret.rotation.lambdaArn;
    const rules = input.has('RotationRules') ? validateRotationRules(input.raw('RotationRules')) : secret.rotation.rules;
    const rotateNow = input.boolean('RotateImmediately', true);
    if (lambdaArn === undefined) throw invalidRequest('No Lambda rotation function ARN is associated with this secret.');
    const handler = this.rotationHandlers.get(functionName(lambdaArn));
    if (!handler) {
      throw new AwsError(
        'AccessDeniedException',
        'Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.',
      );
    }
    const unfinished = unfinishedRotation(secret);
    if (unfinished && unfinished.id !== token) {
      throw invalidRequest("A previous rotation isn't complete. That rotation will be reattempted.");
    }
    secret.rotation.enabled = true;
    secret.rotation.lambdaArn = lambdaArn;
    secret.rotation.rules = rules;
    if (rotateNow) {
      void this.options.bus.track(this.rotate(secret, handler, token));
    } else {
      this.scheduleRotation(secret, this.options.clock.now());
    }
    return { ARN: secret.arn, Name: secret.name, VersionId: rotateNow ? token : undefined };
  }

  /** Runs the four steps in order; a failing step leaves AWSPENDING in place, as the service does. */
  private async rotate(secret: SecretRecord, handler: RotationHandler, token: string): Promise<void> {
    for (const step of steps) {
      try {
        await handler({ Step: step, SecretId: secret.arn, ClientRequestToken: token });
      } catch (error) {
        this.log(`rotation of ${secret.name} failed at ${step}`, error);
        return;
      }
    }
    const rotated = secret.versions.find((v) => v.id === token);
    if (!rotated?.stages.includes(current)) {
      this.log(`rotation of ${secret.name} finished without moving ${current} to version ${token}`, undefined);
      return;
    }
    detachStage(rotated, pending);
    const now = this.options.clock.now();
    secret.rotation.lastRotatedAt = now;
    secret.lastChangedAt = now;
    this.scheduleRotation(secret, now);
  }

  /** Arms the automatic rotation at the next date the rules give. */
  private scheduleRotation(secret: SecretRecord, from: number): void {
    this.clearTimer(secret.arn);
    const due = nextRotation(secret.rotation.rules, from);
    secret.rotation.nextRotationAt = due;
    if (due === undefined) return;
    this.timers.set(
      secret.arn,
      this.options.clock.setTimeout(() => {
        this.timers.delete(secret.arn);
        const handler = secret.rotation.lambdaArn && this.rotationHandlers.get(functionName(secret.rotation.lambdaArn));
        if (!secret.rotation.enabled || !handler || secret.deletedAt !== undefined || unfinishedRotation(secret)) return;
        void this.options.bus.track(this.rotate(secret, handler, randomUUID()));
      }, due - this.options.clock.now()),
    );
  }

  private clearTimer(arn: string): void {
    const timer = this.timers.get(arn);
    if (timer) this.options.clock.clearTimeout(timer);
    this.timers.delete(arn);
  }

  private describe(secret: SecretRecord, versionsField: 'VersionIdsToStages' | 'SecretVersionsToStages'): Record<string, unknown> {
    const rotationConfigured = secret.rotation.lambdaArn !== undefined;
    return {
      ARN: secret.arn,
      Name: secret.name,
      Description: secret.description,
      KmsKeyId: secret.kmsKeyId,
      RotationEnabled: secret.rotation.enabled,
      RotationLambdaARN: rotationConfigured ? secret.rotation.lambdaArn : undefined,
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

  /** SecretId as a name, a full ARN, or a partial ARN without the random suffix. */
  private find(input: Input): SecretRecord {
    const id = input.string('SecretId', { required: true, min: 1, max: 2048 });
    const byName = this.secrets.get(id);
    if (byName) return byName;
    for (const secret of this.secrets.values()) {
      if (secret.arn === id || secret.arn.slice(0, -7) === id) return secret;
    }
    throw secretNotFound();
  }

  private live(secret: SecretRecord): SecretRecord {
    if (secret.deletedAt !== undefined) throw markedForDeletion();
    return secret;
  }
}

function secretValue(input: Input): Pick<SecretVersion, 'secretString' | 'secretBinary'> | undefined {
  const secretString = input.string('SecretString', { max: 65536 });
  const secretBinary = input.string('SecretBinary', { max: 87384 });
  if (secretString !== undefined && secretBinary !== undefined) {
    throw invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  if (secretString !== undefined) return { secretString };
  if (secretBinary !== undefined) return { secretBinary };
  return undefined;
}

function validateSecretTags(raw: unknown): SecretTag[] {
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

/** ListSecrets filters: prefix match on the key's field; a value starting with "!" negates. */
function matchesFilter(secret: SecretRecord, filter: { Key?: string; Values?: string[] }): boolean {
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
    value.startsWith('!')
      ? !candidates.some((c) => c.startsWith(value.slice(1)))
      : candidates.some((c) => c.startsWith(value)),
  );
}

/** "arn:aws:lambda:us-east-1:000000000000:function:rotate[:alias]" or "rotate" → "rotate". */
function functionName(nameOrArn: string): string {
  const match = /^arn:aws[a-z-]*:lambda:[^:]*:\d*:function:([^:]+)/.exec(nameOrArn);
  return match ? match[1] : nameOrArn;
}

/** The six random characters Secrets Manager appends to a secret's ARN. */
function arnSuffix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from({ length: 6 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
}
