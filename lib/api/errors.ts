/**
 * The API's error family. Each one renders as
 * `{"error": {"code", "message", "details": [{"field", "message"}]}}` with its status.
 */
export interface ErrorDetail {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}

export class ValidationError extends ApiError {
  constructor(details: ErrorDetail[], message = 'the request is invalid') {
    super(400, 'ValidationError', `${message}: ${details.length === 1 ? `${details[0].field || '(body)'} ${details[0].message}` : `${details.length} problems`}`, details);
    this.name = 'ValidationError';
  }
}

export class NotFoundApiError extends ApiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(404, 'NotFound', message, [], options);
    this.name = 'NotFoundApiError';
  }
}

export class MethodNotAllowedError extends ApiError {
  constructor(method: string, path: string) {
    super(405, 'MethodNotAllowed', `${method} is not allowed on ${path}`);
    this.name = 'MethodNotAllowedError';
  }
}

export class ConflictApiError extends ApiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(409, 'Conflict', message, [], options);
    this.name = 'ConflictApiError';
  }
}

export class PreconditionFailedApiError extends ApiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(412, 'PreconditionFailed', message, [{ field: 'If-Match', message }], options);
    this.name = 'PreconditionFailedApiError';
  }
}

export class PayloadTooLargeError extends ApiError {
  constructor(limitBytes: number, actualBytes: number) {
    super(413, 'PayloadTooLarge', `the request body is ${actualBytes} bytes; the limit is ${limitBytes}`, [
      { field: '', message: `body larger than ${limitBytes} bytes` },
    ]);
    this.name = 'PayloadTooLargeError';
  }
}

export class UnsupportedMediaTypeError extends ApiError {
  constructor(contentType: string | undefined) {
    super(415, 'UnsupportedMediaType', `Content-Type must be application/json, got ${contentType ?? 'none'}`, [
      { field: 'Content-Type', message: 'must be application/json' },
    ]);
    this.name = 'UnsupportedMediaTypeError';
  }
}
