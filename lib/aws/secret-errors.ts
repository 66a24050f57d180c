import { SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';

/**
 * Errors of the Secrets Manager adapter. Messages carry the secret id, the operation and the
 * service's own message (which never echoes a value); the adapter never puts a value in one.
 */
export class SecretStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretStoreError';
  }
}

/** ResourceNotFoundException: no such secret, or no version with that id or stage. */
export class SecretNotFoundError extends SecretStoreError {
  constructor(readonly secretId: string, detail: string, options?: { cause?: unknown }) {
    super(`secret ${secretId}: ${detail}`, options);
    this.name = 'SecretNotFoundError';
  }
}

/**
 * InvalidRequestException: the secret's state forbids the call — for example a rotation
 * already in progress ("A previous rotation isn't complete"), a deleted secret, or
 * rotation without a rotation function.
 */
export class SecretInvalidRequestError extends SecretStoreError {
  constructor(readonly secretId: string, detail: string, options?: { cause?: unknown }) {
    super(`secret ${secretId}: request refused: ${detail}`, options);
    this.name = 'SecretInvalidRequestError';
  }
}

/** InvalidParameterException: a parameter Secrets Manager does not accept. */
export class SecretInvalidParameterError extends SecretStoreError {
  constructor(readonly secretId: string, detail: string, options?: { cause?: unknown }) {
    super(`secret ${secretId}: invalid parameter: ${detail}`, options);
    this.name = 'SecretInvalidParameterError';
  }
}

/** ResourceExistsException: a version with this token already exists with a different value. */
export class SecretVersionConflictError extends SecretStoreError {
  constructor(readonly secretId: string, readonly versionId: string, options?: { cause?: unknown }) {
    super(`secret ${secretId}: version ${versionId} already exists with a different value`, options);
    this.name = 'SecretVersionConflictError';
  }
}

/** DecryptionFailure / EncryptionFailure: KMS refused. */
export class SecretKmsError extends SecretStoreError {
  constructor(readonly secretId: string, detail: string, options?: { cause?: unknown }) {
    super(`secret ${secretId}: KMS failure: ${detail}`, options);
    this.name = 'SecretKmsError';
  }
}

/** AccessDeniedException: the caller's role may not do this to this secret. */
export class SecretAccessDeniedError extends SecretStoreError {
  constructor(readonly secretId: string, detail: string, options?: { cause?: unknown }) {
    super(`secret ${secretId}: access denied: ${detail}`, options);
    this.name = 'SecretAccessDeniedError';
  }
}

/** The secret's version holds binary data where text was expected. */
export class SecretNotTextError extends SecretStoreError {
  constructor(readonly secretId: string, options?: { cause?: unknown }) {
    super(`secret ${secretId}: the value is binary (SecretBinary), not text`, options);
    this.name = 'SecretNotTextError';
  }
}

/** Anything else: throttling after the SDK's retries, service errors, the network. Retryable. */
export class SecretServiceUnavailableError extends SecretStoreError {
  constructor(readonly secretId: string, detail: string, options?: { cause?: unknown }) {
    super(`secret ${secretId}: Secrets Manager unavailable: ${detail}`, options);
    this.name = 'SecretServiceUnavailableError';
  }
}

/**
 * Maps whatever a Secrets Manager call threw onto the family above. `operation` names the
 * API call so the message says what was being attempted.
 */
export function toSecretStoreError(
  error: unknown,
  context: { secretId: string; operation: string; versionId?: string },
): SecretStoreError {
  if (error instanceof SecretStoreError) return error;
  const { secretId, operation } = context;
  const name = errorName(error);
  const serviceMessage =
    error instanceof Error && error.message && error.message !== name ? error.message : name;
  const detail = `${operation}: ${serviceMessage}`;
  switch (name) {
    case 'ResourceNotFoundException':
      return new SecretNotFoundError(secretId, detail, { cause: error });
    case 'InvalidRequestException':
      return new SecretInvalidRequestError(secretId, detail, { cause: error });
    case 'InvalidParameterException':
      return new SecretInvalidParameterError(secretId, detail, { cause: error });
    case 'ResourceExistsException':
      return new SecretVersionConflictError(secretId, context.versionId ?? 'unknown', { cause: error });
    case 'DecryptionFailure':
    case 'EncryptionFailure':
      return new SecretKmsError(secretId, detail, { cause: error });
    case 'AccessDeniedException':
      return new SecretAccessDeniedError(secretId, detail, { cause: error });
    default:
      return new SecretServiceUnavailableError(secretId, detail, { cause: error });
  }
}

function errorName(error: unknown): string {
  if (error instanceof SecretsManagerServiceException) return error.name;
  if (error instanceof Error) return error.name;
  return 'UnknownError';
}
