/** Errors of the reconciler. */
export class ReconcileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReconcileError';
  }
}

/**
 * What retrying cannot fix — an image or secret that cannot exist, a task definition ECS refuses:
 * the reconcile records it in the status (condition `Stalled`, with `reason`) and the runner does
 * not retry it until the spec's generation changes.
 */
export class TerminalError extends ReconcileError {
  constructor(readonly reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}
