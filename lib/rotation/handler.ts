import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { SecretStore } from '../aws/secret-store.js';
import type { ConsumerRestarter, RotationStrategy } from './ports.js';
import { createRotationSteps, type RotationStepOutcome } from './rotation-steps.js';

/** Everything the rotation Lambda needs; the local runtime passes its own. */
export interface RotationHandlerDeps {
  secrets: SecretStore;
  strategy: RotationStrategy;
  consumers: ConsumerRestarter;
  logger: Logger;
}

export type RotationHandler = (event: unknown, context: Context) => Promise<RotationStepOutcome>;

/** The Secrets Manager rotation function: one step a call, Powertools context in every line. */
export function createRotationHandler(deps: RotationHandlerDeps): RotationHandler {
  const steps = createRotationSteps(deps);
  return middy<unknown, RotationStepOutcome>()
    .use(injectLambdaContext(deps.logger))
    .handler((event) => steps.run(event));
}

