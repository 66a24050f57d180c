import {
  RotationNotEnabledError,
  UnknownVersionError,
  VersionNotPendingError,
} from './errors.js';

/** Secrets Manager's rotation staging labels. */
export const AWSCURRENT = 'AWSCURRENT';
export const AWSPENDING = 'AWSPENDING';
export const AWSPREVIOUS = 'AWSPREVIOUS';

/** Version id → staging labels, as DescribeSecret's `VersionIdsToStages`. */
export type VersionStages = Readonly<Record<string, readonly string[]>>;

/**
 * What a rotation step may do with its token, judged the way the AWS rotation template does
 * before every step:
 * - rotation must be enabled on the secret;
 * - the token must be a staged version of the secret (RotateSecret stages an empty AWSPENDING
 *   version under the token before calling createSecret); with `tokenMayBeNew` (createSecret)
 *   an unknown token is `'new'` instead, for endpoints that do not stage it first — the
 *   version is then created by createSecret's PutSecretValue;
 * - a token already AWSCURRENT means this rotation has finished (`'finished'`);
 * - otherwise the token must be AWSPENDING (`'pending'`), else the rotation was abandoned or
 *   belongs to someone else.
 */
export function checkRotationVersion(input: {
  secretId: string;
  rotationEnabled: boolean;
  versions: VersionStages;
  token: string;
  tokenMayBeNew?: boolean;
}): 'new' | 'pending' | 'finished' {
  const { secretId, rotationEnabled, versions, token } = input;
  if (!rotationEnabled) throw new RotationNotEnabledError(secretId);
  const stages = Object.hasOwn(versions, token) ? versions[token] : undefined;
  if (stages === undefined) {
    if (input.tokenMayBeNew) return 'new';
    throw new UnknownVersionError(secretId, token);
  }
  if (stages.includes(AWSCURRENT)) return 'finished';
  if (!stages.includes(AWSPENDING)) throw new VersionNotPendingError(secretId, token, stages);
  return 'pending';
}

/** The version carrying AWSCURRENT, if any. */
export function currentVersionOf(versions: VersionStages): string | undefined {
  return Object.keys(versions).find((id) => versions[id].includes(AWSCURRENT));
}

/** Versions carrying AWSPENDING, in the order DescribeSecret listed them. */
export function pendingVersionsOf(versions: VersionStages): string[] {
  return Object.keys(versions).filter((id) => versions[id].includes(AWSPENDING));
}

/**
 * Versions whose AWSPENDING label would make the next RotateSecret fail with "A previous
 * rotation isn't complete": AWSPENDING anywhere except on the AWSCURRENT version.
 */
export function strayPendingVersionsOf(versions: VersionStages): string[] {
  return pendingVersionsOf(versions).filter((id) => !versions[id].includes(AWSCURRENT));
}
