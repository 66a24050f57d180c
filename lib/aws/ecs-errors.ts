/**
 * The ECS adapter's error family. Every error the adapter throws is a `ContainerRuntimeError`;
 * `terminal` tells the reconciler whether retrying can help (false: back off and retry) or the
 * failure belongs in the service status until the spec changes (true).
 */
export interface ContainerRuntimeErrorOptions {
  cause?: unknown;
  /** The ECS operation that failed, e.g. `RunTask`. */
  operation: string;
  terminal?: boolean;
}

export class ContainerRuntimeError extends Error {
  override name = 'ContainerRuntimeError';
  readonly terminal: boolean;
  readonly operation: string;
  /** How many tries the SDK made before giving up (its retry strategy retries throttling). */
  readonly attempts?: number;

  constructor(message: string, options: ContainerRuntimeErrorOptions) {
    super(message, { cause: options.cause });
    this.terminal = options.terminal ?? false;
    this.operation = options.operation;
    const attempts = awsFields(options.cause).attempts;
    if (attempts !== undefined) this.attempts = attempts;
  }
}

/** ECS refused for rate; the SDK's own retries are exhausted by the time this is thrown. */
export class ThrottledError extends ContainerRuntimeError {
  override name = 'ThrottledError';
  constructor(message: string, options: Omit<ContainerRuntimeErrorOptions, 'terminal'>) {
    super(message, { ...options, terminal: false });
  }
}

/**
 * ECS rejected the task definition or the launch it describes (bad image reference, a cpu and
 * memory pair Fargate does not offer, health check values out of range): the same request
 * will fail again, so the reconciler records it instead of retrying.
 */
export class InvalidSpecError extends ContainerRuntimeError {
  override name = 'InvalidSpecError';
  constructor(message: string, options: Omit<ContainerRuntimeErrorOptions, 'terminal'>) {
    super(message, { ...options, terminal: true });
  }
}

/**
 * The configured cluster does not exist. Not terminal: it is the installation's fault, not a
 * service's, and recording it in every service's status as final would outlive the fix.
 */
export class ClusterNotFoundError extends ContainerRuntimeError {
  override name = 'ClusterNotFoundError';
  constructor(message: string, options: Omit<ContainerRuntimeErrorOptions, 'terminal'>) {
    super(message, { ...options, terminal: false });
  }
}

/**
 * RunTask's client token was already used with different parameters. `taskArns` are the tasks
 * that token launched; the next observation will see them.
 */
export class ClientTokenConflictError extends ContainerRuntimeError {
  override name = 'ClientTokenConflictError';
  readonly taskArns: string[];
  constructor(message: string, options: Omit<ContainerRuntimeErrorOptions, 'terminal'> & { taskArns: string[] }) {
    super(message, { ...options, terminal: false });
    this.taskArns = options.taskArns;
  }
}

/**
 * ECS answers throttling as `ThrottlingException` (absent from its SDK model, so it arrives as
 * a generic service exception named so); other AWS codes for the same thing are kept for the
 * SDK's wider vocabulary. ECS also wraps EC2 throttling during RunTask's subnet lookup in an
 * `InvalidParameterException` whose message says "Rate exceeded" — that one is throttling too,
 * not a bad spec.
 */
const throttlingCodes = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
]);

/** Codes meaning "this request is wrong" rather than "try later". */
const invalidRequestCodes = new Set([
  'ClientException',
  'InvalidParameterException',
  'PlatformTaskDefinitionIncompatibilityException',
  'PlatformUnknownException',
  'UnsupportedFeatureException',
]);

/** Operations whose invalid-request errors are about the service's own spec. */
const specOperations = new Set(['RegisterTaskDefinition', 'RunTask']);

export function mapEcsError(error: unknown, operation: string): ContainerRuntimeError {
  if (error instanceof ContainerRuntimeError) return error;
  const { code, message, httpStatusCode, resourceIds } = awsFields(error);
  const text = `${operation} failed: ${code}: ${message}`;
  if (throttlingCodes.has(code) || httpStatusCode === 429 || /rate exceeded/i.test(message)) {
    return new ThrottledError(text, { cause: error, operation });
  }
  if (code === 'ClusterNotFoundException') return new ClusterNotFoundError(text, { cause: error, operation });
  if (code === 'ConflictException') {
    return new ClientTokenConflictError(text, { cause: error, operation, taskArns: resourceIds ?? [] });
  }
  if (invalidRequestCodes.has(code) && specOperations.has(operation)) {
    return new InvalidSpecError(text, { cause: error, operation });
  }
  return new ContainerRuntimeError(text, { cause: error, operation });
}

/** True for ECS's answer to stopping a task it does not know (never existed or long gone). */
export function isTaskNotFound(error: unknown): boolean {
  const { code, message } = awsFields(error);
  return invalidRequestCodes.has(code) && /task was not found|task not found/i.test(message);
}

interface AwsFields {
  code: string;
  message: string;
  httpStatusCode?: number;
  attempts?: number;
  resourceIds?: string[];
}

function awsFields(error: unknown): AwsFields {
  if (typeof error !== 'object' || error === null) return { code: 'Unknown', message: String(error) };
  const e = error as {
    name?: unknown;
    message?: unknown;
    resourceIds?: unknown;
    $metadata?: { httpStatusCode?: number; attempts?: number };
  };
  return {
    code: typeof e.name === 'string' ? e.name : 'Unknown',
    message: typeof e.message === 'string' ? e.message : '',
    httpStatusCode: e.$metadata?.httpStatusCode,
    attempts: e.$metadata?.attempts,
    resourceIds: Array.isArray(e.resourceIds) ? e.resourceIds.filter((id) => typeof id === 'string') : undefined,
  };
}
