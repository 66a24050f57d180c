import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { AttachRotationOptions, CorralRotation } from './corral-rotation.js';

export interface CorralManagedSecretProps extends AttachRotationOptions {
  /** Corral's rotation (`Corral.rotation`). */
  readonly rotation: CorralRotation;
  /** `rate(N hours|days)` (4 hours to 1,000 days) or a six-field `cron(...)`. */
  readonly schedule: string;
  /** The name services reference in their spec's `secrets`; generated when absent. */
  readonly secretName?: string;
  readonly description?: string;
  /** How the initial value is generated; rotations then use the rotation function's strategy. */
  readonly generateSecretString?: secretsmanager.SecretStringGenerator;
}

/**
 * A secret that Corral owns: created with a generated value and rotated by Corral's rotation
 * function on a schedule; after each rotation the services referencing it roll onto the new
 * value.
 *
 * ```ts
 * new CorralManagedSecret(stack, 'DbPassword', {
 *   rotation: corral.rotation, secretName: 'db-password', schedule: 'rate(30 days)',
 * });
 * ```
 */
export class CorralManagedSecret extends Construct {
  readonly secret: secretsmanager.Secret;
  readonly rotationSchedule: secretsmanager.CfnRotationSchedule;

  constructor(scope: Construct, id: string, props: CorralManagedSecretProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: props.secretName,
      description: props.description ?? 'Managed and rotated by Corral',
      generateSecretString: props.generateSecretString ?? { passwordLength: 32, excludePunctuation: true },
    });
    this.rotationSchedule = props.rotation.attach(this.secret, props.schedule, {
      rotateImmediatelyOnUpdate: props.rotateImmediatelyOnUpdate,
    });
  }
}
