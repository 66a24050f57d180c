import { EXIT } from './defaults.js';
import { isLoopback } from './loopback.js';

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

/**
 * The API answered with an error status. Details keep the API's field paths as they are; `hint`
 * is the CLI's own suggestion ("did you mean service/web?"), `requestId` the answer's id.
 */
export class ApiError extends CliError {
  readonly requestId?: string;
  readonly hint?: string;

  constructor(
    readonly status: number,
    readonly code: string,
    readonly apiMessage: string,
    readonly details: readonly ApiErrorDetail[],
    options?: { cause?: unknown; requestId?: string; hint?: string },
  ) {
    super(code ? `${code}: ${apiMessage}` : apiMessage, options);
    this.name = 'ApiError';
    if (options?.requestId) this.requestId = options.requestId;
    if (options?.hint) this.hint = options.hint;
  }

  withHint(hint: string): ApiError {
    return new ApiError(this.status, this.code, this.apiMessage, this.details, { cause: this, requestId: this.requestId, hint });
  }
}

/** Nothing answered at the endpoint (refused, DNS failure, connect timeout, TLS failure). */
export class EndpointUnreachableError extends CliError {
  constructor(
    readonly url: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot reach the Corral API at ${url}: ${reason}${startHint(url, reason)}`, options);
    this.name = 'EndpointUnreachableError';
  }
}

/** A refused connection on this machine is, nearly always, local mode not running. */
function startHint(url: string, reason: string): string {
  if (reason !== 'ECONNREFUSED') return '';
  return isLoopback(new URL(url)) ? ' (is local mode running? Start it with "npm start" in the Corral repository, or pass --endpoint)' : '';
}

/** The URL answered like an AWS service endpoint (an AWS JSON `__type` error), not like Corral's API. */
export class WrongEndpointError extends CliError {
  constructor(url: URL, awsErrorType: string) {
    const localAws = url.port === '4566';
    super(
      `${url.origin} is an AWS service endpoint, not the Corral API (it answered ${awsErrorType})` +
        (localAws ? `; port 4566 is local mode's AWS endpoint, the Corral API listens on port 3000 (http://${url.hostname}:3000)` : ''),
    );
    this.name = 'WrongEndpointError';
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
