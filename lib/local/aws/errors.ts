/**
 * An error answered in the AWS JSON protocol shape, `{"__type": type, "message": message}`, which
 * SDK v3 and the AWS CLI turn into the exception named by `type`.
 */
export class AwsError extends Error {
  override readonly name = 'AwsError';

  constructor(
    readonly type: string,
    message: string,
    /** 400 for the caller's fault, 500 for the service's. */
    readonly status = 400,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);
