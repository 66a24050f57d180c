import { RotationError } from '../core/rotation/errors.js';
import type { RotationStep } from '../core/rotation/rotation-event.js';
import { SecretStoreError } from '../aws/secret-errors.js';

/**
 * A step that failed. The message names the step, secret and version and the cause's class;
 * the cause's own message is included only when it comes from Corral's error families, whose
 * messages are known to carry no values (a strategy's error text is not ours to trust).
 */
export class RotationStepError extends RotationError {
  constructor(
    readonly step: RotationStep,
    readonly secretId: string,
    readonly versionId: string,
    readonly abandoned: boolean,
    options: { cause: unknown },
  ) {
    super(
      `${step} failed for secret ${secretId} version ${versionId}: ${safeSummary(options.cause)}` +
        (abandoned ? '; rotation abandoned, AWSCURRENT unchanged' : ''),
      options,
    );
    this.name = 'RotationStepError';
  }
}

/** An error's class, plus its message when that message is known to be value-free. */
export function safeSummary(error: unknown): string {
  if (error instanceof RotationError || error instanceof SecretStoreError) {
    return `${error.name}: ${error.message}`;
  }
  if (error instanceof Error) return error.name;
  return typeof error;
}
