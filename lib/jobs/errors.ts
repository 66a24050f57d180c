/** A job the dispatcher cannot act on as stored (e.g. a schedule an older validator let through). */
export class JobDispatchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobDispatchError';
  }
}
