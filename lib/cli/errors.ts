import { EXIT } from './defaults.js';

/** Base of every error the CLI reports to the user; `exitCode` is what the process exits with. */
export class CliError extends Error {
  readonly exitCode: number = EXIT.error;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

export interface ApiErrorDetail {
  field: string;
  message: string;
}

/** The API answered with an error status. Details keep the API's field paths as they are. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly apiMessage: string,
    readonly details: readonly ApiErrorDetail[],
    options?: { cause?: unknown },
  ) {
    super(code ? `${code}: ${apiMessage}` : apiMessage, options);
    this.name = 'ApiError';
  }
}

/** Nothing answered at the endpoint (refused, DNS failure, connect timeout, TLS failure). */
export class EndpointUnreachableError extends CliError {
  constructor(
    readonly url: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot reach the Corral API at ${url}: ${reason}`, options);
    this.name = 'EndpointUnreachableError';
  }
}

/** No endpoint was given and none could be discovered. */
export class NoEndpointError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NoEndpointError';
  }
}

/** Signing needs AWS credentials (or a region) and the standard chain found none. */
export class MissingCredentialsError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MissingCredentialsError';
  }
}

/** The manifest file cannot be read or does not hold `{kind, name, spec}` documents. */
export class ManifestError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ManifestError';
  }
}

/** A command-line argument is malformed (a count, a duration, an output format). */
export class UsageError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}
