import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../clock.js';
import type { LocalBus } from '../../bus.js';
import { AwsError } from '../errors.js';
import { epochSeconds, Input } from '../input.js';
import type { RotationHandler } from '../options.js';
import { decodeToken, page } from '../paging.js';
import { StateFile } from '../state-file.js';
import { randomPassword } from './random-password.js';
import { KeyedTimers } from './keyed-timers.js';
import { validateRotationRules } from './rotation-rules.js';
import {
  attachStage,
  current,
  detachStage,
  hasValue,
  markedForDeletion,
  type SecretRecord,
  type SecretVersion,
  secretNotFound,
  versionWithStage,
} from './secret-record.js';
import { SecretRotation } from './secret-rotation.js';
import { describeSecret, matchesFilter, validateSecretTags } from './secret-views.js';
import { executionRoleReadError } from './execution-role-read.js';

export interface SecretsEmulatorOptions {
  clock: Clock;
  bus: LocalBus;
  accountId: string;
  region: string;
  /** Where secrets are kept across restarts; undefined keeps them in memory. */
  stateFile?: string;
}

/** Operations that only read (GetSecretValue's last-accessed date is not worth a write). */
const readOnly = new Set(['DescribeSecret', 'GetSecretValue', 'ListSecretVersionIds', 'ListSecrets', 'GetRandomPassword']);

const namePattern = /^[A-Za-z0-9/_+=.@-]+$/;
const tokenRules = { min: 32, max: 64 } as const;
const dayMs = 86_400_000;

const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);

/** The Secrets Manager operations Corral and the AWS CLI use, over an in-memory account. */
export class SecretsEmulator {
  private readonly secrets = new Map<string, SecretRecord>();
  private readonly timers: KeyedTimers;
  private readonly rotation: SecretRotation;
  private readonly state: StateFile<SecretRecord[]>;

  constructor(private readonly options: SecretsEmulatorOptions) {
    this.timers = new KeyedTimers(options.clock);
    this.rotation = new SecretRotation({ clock: options.clock, bus: options.bus, timers: this.timers, saved: () => this.save() });
    this.state = new StateFile(options.stateFile);
    for (const secret of this.state.load() ?? []) {
      this.secrets.set(secret.name, secret);
      if (secret.deletionDue !== undefined) this.scheduleDeletion(secret);
      else this.rotation.resume(secret);
    }
  }

  /** Registers the rotation function for a Lambda ARN or function name. */
  setRotationHandler(nameOrArn: string, handler: RotationHandler): void {
    this.rotation.setHandler(nameOrArn, handler);
  }

  private save(): void {
    this.state.save([...this.secrets.values()]);
  }

  handle(operation: string, body: unknown): unknown {
    const result = this.dispatch(operation, body);
    if (!readOnly.has(operation)) this.save();
    return result;
  }

  private dispatch(operation: string, body: unknown): unknown {
    const input = Input.of(body, 'InvalidParameterException');
    switch (operation) {
      case 'CreateSecret':
        return this.createSecret(input);
      case 'DescribeSecret':
        return describeSecret(this.find(input), 'VersionIdsToStages');
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
      case 'RotateSecret': {
        const secret = this.live(this.find(input));
        const request = {
          token: input.string('ClientRequestToken', tokenRules) ?? randomUUID(),
          lambdaArn: input.string('RotationLambdaARN', { max: 2048 }),
          rules: input.has('RotationRules') ? validateRotationRules(input.raw('RotationRules')) : undefined,
          rotateNow: input.boolean('RotateImmediately', true),
        };
        this.rotation.start(secret, request);
        return { ARN: secret.arn, Name: secret.name, VersionId: request.rotateNow ? request.token : undefined };
      }
      case 'CancelRotateSecret': {
        const secret = this.live(this.find(input));
        return { ARN: secret.arn, Name: secret.name, VersionId: this.rotation.cancel(secret) };
      }
      default:
        throw new AwsError('UnknownOperationException', `Operation ${operation} is not supported by the local Secrets Manager emulator.`);
    }
  }

  private createSecret(input: Input): unknown {
    const name = input.string('Name', { required: true, min: 1, max: 512, pattern: namePattern });
    const existing = this.secrets.get(name);
    if (existing?.deletedAt !== undefined) {
      throw new AwsError('InvalidRequestException', "You can't create this secret because a secret with this name is already scheduled for deletion.");
    }
    const value = secretValue(input);
    const token = input.string('ClientRequestToken', tokenRules);
    if (existing) {
      // A retried request (same token, same value) succeeds again instead of failing, as in the service.
      const retried = existing.versions.find((v) => v.id === token);
      if (retried && retried.secretString === value?.secretString && retried.secretBinary === value?.secretBinary) {
        return { ARN: existing.arn, Name: name, VersionId: retried.id };
      }
      throw new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    }
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
      versionId = token ?? randomUUID();
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
      // A version RotateSecret staged has no value until the rotation function puts one.
      if (!version || !hasValue(version) || (stage !== undefined && !version.stages.includes(stage))) {
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
    if (existing && !hasValue(existing)) {
      // The version RotateSecret staged under this token: the rotation function's value fills it.
      Object.assign(existing, value);
      for (const stage of stages) attachStage(secret, stage, existing);
      secret.lastChangedAt = this.options.clock.now();
      return { ARN: secret.arn, Name: secret.name, VersionId: existing.id, VersionStages: [...existing.stages] };
    }
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
    return { SecretList: result.items.map((s) => describeSecret(s, 'SecretVersionsToStages')), NextToken: result.nextToken };
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
    this.timers.clear(secret.arn);
    if (force) {
      this.secrets.delete(secret.name);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(now) };
    }
    secret.deletedAt = now;
    secret.deletionDue = now + (days ?? 30) * dayMs;
    this.scheduleDeletion(secret);
    return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(secret.deletionDue) };
  }

  private scheduleDeletion(secret: SecretRecord): void {
    this.timers.at(secret.arn, secret.deletionDue ?? this.options.clock.now(), () => {
      if (this.secrets.get(secret.name) !== secret) return;
      this.secrets.delete(secret.name);
      this.save();
    });
  }

  /**
   * Fetches a container's `valueFrom` (a secret ARN, possibly ending in
   * `:json-key:version-stage:version-id`) as ECS does at task start with `executionRoleArn`:
   * undefined when it can be read, else the error the agent gets.
   */
  executionRoleReadError(valueFrom: string, executionRoleArn: string | undefined): string | undefined {
    // Anything else (a bare name, an ssm: ARN) names a Systems Manager parameter, not a secret.
    if (!/^arn:aws[a-z-]*:secretsmanager:/.test(valueFrom)) return undefined;
    const secretArn = valueFrom.split(':').slice(0, 7).join(':');
    return executionRoleReadError(this.lookup(secretArn), secretArn, executionRoleArn);
  }

  /** SecretId as a name, a full ARN, or a partial ARN without the random suffix. */
  private find(input: Input): SecretRecord {
    const secret = this.lookup(input.string('SecretId', { required: true, min: 1, max: 2048 }));
    if (!secret) throw secretNotFound();
    return secret;
  }

  private lookup(id: string): SecretRecord | undefined {
    const byName = this.secrets.get(id);
    if (byName) return byName;
    for (const secret of this.secrets.values()) {
      if (secret.arn === id || secret.arn.slice(0, -7) === id) return secret;
    }
    return undefined;
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


/** The six random characters Secrets Manager appends to a secret's ARN. */
function arnSuffix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from({ length: 6 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
}
