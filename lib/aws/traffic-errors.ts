/**
 * The traffic adapters' error family. `terminal` says whether retrying can help: a target group or
 * Cloud Map service that does not exist (or cannot take ip targets) fails the same way every time,
 * so the reconciler records it in the service status instead of retrying.
 */
export interface TrafficErrorOptions {
  cause?: unknown;
  /** The operation that failed, e.g. `RegisterTargets`. */
  operation: string;
  /** The target group or Cloud Map service ARN it was about. */
  resource: string;
}

export class TrafficError extends Error {
  override name = 'TrafficError';
  readonly terminal: boolean;
  readonly operation: string;
  readonly resource: string;

  constructor(message: string, options: TrafficErrorOptions & { terminal?: boolean }) {
    super(message, { cause: options.cause });
    this.terminal = options.terminal ?? false;
    this.operation = options.operation;
    this.resource = options.resource;
  }
}

/** The target group or Cloud Map service named in the spec does not exist. */
export class TrafficResourceNotFoundError extends TrafficError {
  override name = 'TrafficResourceNotFoundError';
  constructor(message: string, options: TrafficErrorOptions) {
    super(message, { ...options, terminal: true });
  }
}

/** The resource exists but cannot take these targets or instances (e.g. a target group of type instance). */
export class TrafficResourceUnusableError extends TrafficError {
  override name = 'TrafficResourceUnusableError';
  constructor(message: string, options: TrafficErrorOptions) {
    super(message, { ...options, terminal: true });
  }
}

/** Throttled after the SDK's own retries: back off and try again. */
export class TrafficThrottledError extends TrafficError {
  override name = 'TrafficThrottledError';
  constructor(message: string, options: TrafficErrorOptions) {
    super(message, { ...options, terminal: false });
  }
}

const throttlingCodes = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException']);
const notFoundCodes = new Set(['TargetGroupNotFoundException', 'TargetGroupNotFound', 'ServiceNotFound', 'NamespaceNotFound']);
const unusableCodes = new Set(['InvalidTargetException', 'InvalidTarget', 'InvalidConfigurationRequestException', 'InvalidInput']);

/** Maps an SDK error of Elastic Load Balancing v2 or Cloud Map into the family. */
export function mapTrafficError(error: unknown, operation: string, resource: string): TrafficError {
  if (error instanceof TrafficError) return error;
  const code = typeof (error as { name?: unknown })?.name === 'string' ? (error as { name: string }).name : 'Unknown';
  const message = typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  const text = `${operation} on ${resource} failed: ${code}: ${message}`;
  const options = { cause: error, operation, resource };
  if (throttlingCodes.has(code) || status === 429) return new TrafficThrottledError(text, options);
  if (notFoundCodes.has(code)) return new TrafficResourceNotFoundError(text, options);
  if (unusableCodes.has(code)) return new TrafficResourceUnusableError(text, options);
  return new TrafficError(text, options);
}
