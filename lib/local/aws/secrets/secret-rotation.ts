import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../clock.js';
import type { LocalBus } from '../../bus.js';
import { AwsError } from '../errors.js';
import type { RotationEvent, RotationHandler } from '../options.js';
import type { KeyedTimers } from './keyed-timers.js';
import { nextRotation, type RotationRules } from './rotation-rules.js';
import { attachStage, current, detachStage, pending, type SecretRecord, type SecretVersion, unfinishedRotation } from './secret-record.js';

const steps: RotationEvent['Step'][] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];

export interface RotationRequest {
  token: string;
  lambdaArn?: string;
  rules?: RotationRules;
  rotateNow: boolean;
}

/**
 * RotateSecret's side: which function rotates which secret, the four steps in order (tracked on
 * the bus so `idle()` waits for them), and the automatic rotation the schedule asks for.
 */
export class SecretRotation {
  private readonly handlers = new Map<string, RotationHandler>();

  constructor(
    private readonly deps: { clock: Clock; bus: LocalBus; timers: KeyedTimers; saved: () => void },
  ) {}

  /** Registers the rotation function for a Lambda ARN or function name. */
  setHandler(nameOrArn: string, handler: RotationHandler): void {
    this.handlers.set(functionName(nameOrArn), handler);
  }

  /** Enables rotation as asked and, unless told not to, starts one now with `request.token`. */
  start(secret: SecretRecord, request: RotationRequest): void {
    const lambdaArn = request.lambdaArn ?? secret.rotation.lambdaArn;
    if (lambdaArn === undefined) throw new AwsError('InvalidRequestException', 'No Lambda rotation function ARN is associated with this secret.');
    const handler = this.handlers.get(functionName(lambdaArn));
    if (!handler) {
      throw new AwsError(
        'AccessDeniedException',
        'Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.',
      );
    }
    const unfinished = unfinishedRotation(secret);
    if (unfinished && unfinished.id !== request.token) {
      throw new AwsError('InvalidRequestException', "A previous rotation isn't complete. That rotation will be reattempted.");
    }
    secret.rotation.enabled = true;
    secret.rotation.lambdaArn = lambdaArn;
    secret.rotation.rules = request.rules ?? secret.rotation.rules;
    if (request.rotateNow) void this.deps.bus.track(this.rotate(secret, handler, request.token));
    else this.schedule(secret, this.deps.clock.now());
  }

  /** Re-arms the automatic rotation of a secret loaded from a saved state. */
  resume(secret: SecretRecord): void {
    if (secret.rotation.enabled && secret.rotation.nextRotationAt !== undefined) this.arm(secret, secret.rotation.nextRotationAt);
  }

  /** CancelRotateSecret: no more automatic rotation; an unfinished one loses its AWSPENDING label. */
  cancel(secret: SecretRecord): string | undefined {
    secret.rotation.enabled = false;
    secret.rotation.nextRotationAt = undefined;
    this.deps.timers.clear(secret.arn);
    const unfinished = unfinishedRotation(secret);
    if (unfinished) detachStage(unfinished, pending);
    return unfinished?.id;
  }

  /** Runs the four steps in order; a failing step leaves AWSPENDING in place, as the service does. */
  private async rotate(secret: SecretRecord, handler: RotationHandler, token: string): Promise<void> {
    // As the service does: the new version exists, labelled AWSPENDING and without a value,
    // before createSecret runs (which reads it as ResourceNotFound and puts the value).
    if (!secret.versions.some((v) => v.id === token)) {
      const staged: SecretVersion = { id: token, stages: [], createdAt: this.deps.clock.now() };
      secret.versions.push(staged);
      attachStage(secret, pending, staged);
    }
    for (const step of steps) {
      try {
        await handler({ Step: step, SecretId: secret.arn, ClientRequestToken: token });
      } catch (error) {
        // To stderr, where the rotation Lambda's own log would show it.
        console.error(`rotation of ${secret.name} failed at ${step}`, error);
        return;
      }
    }
    const rotated = secret.versions.find((v) => v.id === token);
    if (!rotated?.stages.includes(current)) {
      console.error(`rotation of ${secret.name} finished without moving ${current} to version ${token}`);
      return;
    }
    detachStage(rotated, pending);
    const now = this.deps.clock.now();
    secret.rotation.lastRotatedAt = now;
    secret.lastChangedAt = now;
    this.schedule(secret, now);
    this.deps.saved();
  }

  /** Arms the automatic rotation at the next date the rules give. */
  private schedule(secret: SecretRecord, from: number): void {
    this.deps.timers.clear(secret.arn);
    const due = nextRotation(secret.rotation.rules, from);
    secret.rotation.nextRotationAt = due;
    if (due !== undefined) this.arm(secret, due);
  }

  private arm(secret: SecretRecord, due: number): void {
    this.deps.timers.at(secret.arn, due, () => {
      const handler = secret.rotation.lambdaArn && this.handlers.get(functionName(secret.rotation.lambdaArn));
      if (!secret.rotation.enabled || !handler || secret.deletedAt !== undefined || unfinishedRotation(secret)) return;
      void this.deps.bus.track(this.rotate(secret, handler, randomUUID()));
    });
  }
}

/** "arn:aws:lambda:us-east-1:000000000000:function:rotate[:alias]" or "rotate" → "rotate". */
function functionName(nameOrArn: string): string {
  const match = /^arn:aws[a-z-]*:lambda:[^:]*:\d*:function:([^:]+)/.exec(nameOrArn);
  return match ? match[1] : nameOrArn;
}
