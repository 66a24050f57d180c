import { AwsError } from '../errors.js';
import type { RotationRules } from './rotation-rules.js';

export interface SecretVersion {
  id: string;
  secretString?: string;
  /** Base64, as the JSON protocol carries blobs. */
  secretBinary?: string;
  stages: string[];
  createdAt: number;
  lastAccessedAt?: number;
}

export interface SecretTag {
  Key: string;
  Value: string;
}

export interface SecretRecord {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags: SecretTag[];
  /** In creation order. */
  versions: SecretVersion[];
  createdAt: number;
  lastChangedAt: number;
  lastAccessedAt?: number;
  /** Set while the secret waits for deletion. */
  deletedAt?: number;
  deletionDue?: number;
  rotation: {
    enabled: boolean;
    lambdaArn?: string;
    rules?: RotationRules;
    lastRotatedAt?: number;
    nextRotationAt?: number;
  };
}

export const current = 'AWSCURRENT';
export const pending = 'AWSPENDING';
export const previous = 'AWSPREVIOUS';

/** Secrets Manager keeps at most this many versions without a staging label. */
const maxDeprecatedVersions = 100;

export function versionWithStage(secret: SecretRecord, stage: string): SecretVersion | undefined {
  return secret.versions.find((v) => v.stages.includes(stage));
}

/**
 * Attaches `stage` to `target`, detaching it from whichever version had it (a label is on at most
 * one version). Moving AWSCURRENT makes the version that had it AWSPREVIOUS, as the service does.
 */
export function attachStage(secret: SecretRecord, stage: string, target: SecretVersion): void {
  const holder = versionWithStage(secret, stage);
  if (holder === target) return;
  if (holder) holder.stages = holder.stages.filter((s) => s !== stage);
  target.stages.push(stage);
  if (stage === current && holder) attachStage(secret, previous, holder);
  pruneDeprecated(secret);
}

/** False for the empty version RotateSecret stages before the rotation function puts a value. */
export function hasValue(version: SecretVersion): boolean {
  return version.secretString !== undefined || version.secretBinary !== undefined;
}

export function detachStage(version: SecretVersion, stage: string): void {
  version.stages = version.stages.filter((s) => s !== stage);
}

function pruneDeprecated(secret: SecretRecord): void {
  const deprecated = secret.versions.filter((v) => v.stages.length === 0);
  const excess = deprecated.length - maxDeprecatedVersions;
  if (excess > 0) {
    const drop = new Set(deprecated.slice(0, excess));
    secret.versions = secret.versions.filter((v) => !drop.has(v));
  }
}

/** "A previous rotation isn't complete": AWSPENDING sits on a version other than AWSCURRENT's. */
export function unfinishedRotation(secret: SecretRecord): SecretVersion | undefined {
  const pendingVersion = versionWithStage(secret, pending);
  return pendingVersion && !pendingVersion.stages.includes(current) ? pendingVersion : undefined;
}

export const secretNotFound = (): AwsError =>
  new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

export const markedForDeletion = (): AwsError =>
  new AwsError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
