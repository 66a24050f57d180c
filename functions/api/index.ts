import { Logger } from '@aws-lambda-powertools/logger';
import { createApiHandler } from '../../lib/api/app.js';
import { createAwsClients } from '../../lib/aws/clients.js';
import { readEnvironment } from '../../lib/aws/environment.js';
import { StateStore } from '../../lib/aws/state-store.js';
import { systemClock } from '../../lib/clock.js';

const environment = readEnvironment();
const clients = createAwsClients();

/** The API Lambda behind API Gateway (IAM auth): the same handler local mode serves. */
export const handler = createApiHandler({
  store: new StateStore(clients.documents, environment.tableName, systemClock),
  logger: new Logger({ serviceName: 'corral-api' }),
});
