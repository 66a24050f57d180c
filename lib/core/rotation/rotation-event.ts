import { InvalidRotationEventError } from './errors.js';

export const rotationSteps = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = (typeof rotationSteps)[number];

/** What Secrets Manager sends the rotation function for each step. */
export interface RotationEvent {
  Step: RotationStep;
  SecretId: string;
  ClientRequestToken: string;
}

/** Validates a Lambda event as a rotation request; the error names the bad field only. */
export function parseRotationEvent(input: unknown): RotationEvent {
  if (input === null || typeof input !== 'object') {
    throw new InvalidRotationEventError('expected an object with Step, SecretId and ClientRequestToken');
  }
  const event = input as Record<string, unknown>;
  const step = event.Step;
  if (typeof step !== 'string' || !(rotationSteps as readonly string[]).includes(step)) {
    throw new InvalidRotationEventError(`Step must be one of ${rotationSteps.join(', ')}`);
  }
  for (const field of ['SecretId', 'ClientRequestToken'] as const) {
    if (typeof event[field] !== 'string' || event[field] === '') {
      throw new InvalidRotationEventError(`${field} must be a non-empty string`);
    }
  }
  return {
    Step: step as RotationStep,
    SecretId: event.SecretId as string,
    ClientRequestToken: event.ClientRequestToken as string,
  };
}
