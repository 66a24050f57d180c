import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { createSecretStore } from '../../lib/aws/secret-store.js';
import { functionObservability } from '../../lib/observability/function-observability.js';
import {
  createRotationHandler,
  randomPasswordStrategy,
  type RotationHandler,
  type RotationHandlerDeps,
  type RotationStepOutcome,
} from '../../lib/rotation/index.js';

const { logger, metrics, tracer, clientOptions } = functionObservability('corral-rotation');

/**
 * The deployed defaults: clients from the SDK's default chain (AWS_ENDPOINT_URL redirects them
 * to LocalStack or the local endpoint), the random password strategy, and consumers restarted
 * through the state store. Built on the first invocation and reused by the warm container.
 */
async function defaultDeps(): Promise<RotationHandlerDeps> {
  const { createConsumerRestarter, storeFromEnvironment } = await import('../../lib/aws/consumer-restarter.js');
  return {
    secrets: createSecretStore(clientOptions.capture(new SecretsManagerClient({}))),
    strategy: randomPasswordStrategy,
    consumers: createConsumerRestarter(storeFromEnvironment(clientOptions)),
    logger,
    metrics,
    tracer,
  };
}

let deployed: Promise<RotationHandler> | undefined;

export async function handler(event: unknown, context: Context): Promise<RotationStepOutcome> {
  deployed ??= defaultDeps().then(createRotationHandler);
  return (await deployed)(event, context);
}
