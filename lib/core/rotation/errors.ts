/**
 * Errors of the rotation protocol. Messages name secrets, version ids and steps only —
 * never a secret value — because they end up in Lambda logs, events and API answers.
 */
export class RotationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RotationError';
  }
}

/** Secrets Manager called the function for a secret whose rotation is switched off. */
export class RotationNotEnabledError extends RotationError {
  constructor(readonly secretId: string, options?: { cause?: unknown }) {
    super(`secret ${secretId} is not enabled for rotation`, options);
    this.name = 'RotationNotEnabledError';
  }
}

/** The ClientRequestToken is not a (staged) version of the secret. */
export class UnknownVersionError extends RotationError {
  constructor(readonly secretId: string, readonly versionId: string, options?: { cause?: unknown }) {
    super(`secret version ${versionId} has no stage for rotation of secret ${secretId}`, options);
    this.name = 'UnknownVersionError';
  }
}

/** The token's version is neither AWSCURRENT nor AWSPENDING (an abandoned or foreign rotation). */
export class VersionNotPendingError extends RotationError {
  constructor(
    readonly secretId: string,
    readonly versionId: string,
    readonly stages: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      `secret version ${versionId} of secret ${secretId} is not AWSPENDING ` +
        `(stages: ${stages.length ? stages.join(', ') : 'none'}); this rotation cannot continue`,
      options,
    );
    this.name = 'VersionNotPendingError';
  }
}

/** The Lambda event is not a Secrets Manager rotation request. */
export class InvalidRotationEventError extends RotationError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`invalid rotation event: ${message}`, options);
    this.name = 'InvalidRotationEventError';
  }
}

/** A `corral:*` password tag that cannot be honoured. Tag values are configuration, not secrets. */
export class PasswordRuleError extends RotationError {
  constructor(readonly tag: string, message: string, options?: { cause?: unknown }) {
    super(`tag ${tag}: ${message}`, options);
    this.name = 'PasswordRuleError';
  }
}

/** The secret's value does not have the shape the strategy needs (described, never quoted). */
export class SecretShapeError extends RotationError {
  constructor(readonly secretId: string, message: string, options?: { cause?: unknown }) {
    super(`secret ${secretId}: ${message}`, options);
    this.name = 'SecretShapeError';
  }
}
