import type { SecretDescription, SecretStore } from '../aws/secret-store.js';

/** What a strategy gets for one step of one rotation. Values are read on demand. */
export interface RotationContext {
  /** The secret as Secrets Manager named it in the event (usually its ARN). */
  secretId: string;
  /** The ClientRequestToken: the version id of the value being rotated in. */
  token: string;
  /** Metadata read at the start of the step (name, ARN, tags, staging labels). */
  secret: SecretDescription;
  secrets: SecretStore;
  /** The AWSCURRENT value. */
  currentValue(): Promise<string>;
  /** The AWSPENDING value of this rotation (available from setSecret on). */
  pendingValue(): Promise<string>;
}

/**
 * How a new value comes to be and reaches whatever checks it. `create` returns the new value
 * (stored as AWSPENDING); `set` applies it upstream (a database password, an API key);
 * `test` proves it works and throws if not — the rotation is then abandoned and AWSCURRENT
 * stays as it was, so `set` must leave the current value working until finishSecret (the
 * AWS "alternating users" pattern, or an upstream that accepts both keys for a while).
 * Every method may run again for the same token and must be idempotent.
 * Errors should describe, never quote, values.
 */
export interface RotationStrategy {
  create(ctx: RotationContext): Promise<string>;
  set(ctx: RotationContext): Promise<void>;
  test(ctx: RotationContext): Promise<void>;
}

/** Rolls every service whose spec references the secret onto a new revision. */
export interface ConsumerRestarter {
  /**
   * Answers the names of the services restarted. `rotationId` (the new version's id) makes a
   * retried finishSecret restart each consumer once, not once per attempt.
   */
  restartConsumers(secretId: string, reason: string, rotationId?: string): Promise<string[]>;
}

/** The slice of the Powertools Logger the rotation uses (attributes never carry values). */
export interface RotationLogger {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}
