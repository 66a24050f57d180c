/** Errors of the desired-state store. The API maps them to 404, 409 and 412. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export class NotFoundError extends StoreError {
  constructor(readonly kind: string, readonly key: string, options?: { cause?: unknown }) {
    super(`${kind} ${key} not found`, options);
    this.name = 'NotFoundError';
  }
}

/** An `If-Match` generation that is not the stored one. */
export class GenerationMismatchError extends StoreError {
  constructor(readonly expected: number, readonly actual: number | undefined, options?: { cause?: unknown }) {
    super(
      actual === undefined
        ? `If-Match generation ${expected} does not match: the resource does not exist`
        : `If-Match generation ${expected} does not match the current generation ${actual}`,
      options,
    );
    this.name = 'GenerationMismatchError';
  }
}

/** A change that the resource's state forbids (for example, changing a service being deleted). */
export class ConflictError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConflictError';
  }
}
