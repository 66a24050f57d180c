import type { Context } from 'aws-lambda';
import { createSecretsClient } from '../../lib/aws/clients.js';
import { createConsumerRestarter, storeFromEnvironment } from '../../lib/aws/consumer-restarter.js';
import { createSecretStore } from '../../lib/aws/secret-store.js';
import { functionObservability } from '../../lib/observability/function-observability.js';
import {
  createRotationHandler,
  randomPasswordStrategy,
  type RotationHandler,
  type RotationHandlerDeps,
  type RotationStepOutcome,
} from '../../lib/rotation/index.js';

const { logger, metrics, tracer, clientOptions } = await functionObservability('corral-rotation');

/**
 * The deployed defaults: clients from the SDK's default chain (AWS_ENDPOINT_URL redirects them
 * to LocalStack or the local endpoint), the random password strategy, and consumers restarted
 * through the state store. Built on the first invocation and reused by the warm container.
 */
function defaultDeps(): RotationHandlerDeps {
  return {
    secrets: createSecretStore(createSecretsClient(clientOptions)),
    strategy: randomPasswordStrategy,
    consumers: createConsumerRestarter(storeFromEnvironment(clientOptions)),
    logger,
    metrics,
    tracer,
  };
}

let deployed: RotationHandler | undefined;

export async function handler(event: unknown, context: Context): Promise<RotationStepOutcome> {
  deployed ??= createRotationHandler(defaultDeps());
  return deployed(event, context);
}
