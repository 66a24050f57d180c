import { createApiHandler } from '../../lib/api/app.js';
import { CloudWatchAlarmStates } from '../../lib/aws/alarm-states.js';
import { createCloudWatchClient, createDynamoClients, createSecretsClient } from '../../lib/aws/clients.js';
import { readEnvironment } from '../../lib/aws/environment.js';
import { lazyClient } from '../../lib/aws/lazy-client.js';
import { createStateStore } from '../../lib/aws/state-store.js';
import { JobStore } from '../../lib/aws/job-store.js';
import { createSecretStore } from '../../lib/aws/secret-store.js';
import { jobRoutes } from '../../lib/api/job-routes.js';
import { secretRoutes } from '../../lib/api/secret-routes.js';
import { systemClock } from '../../lib/clock.js';
import { functionObservability } from '../../lib/observability/function-observability.js';

const { logger, metrics, tracer, clientOptions } = await functionObservability('corral-api');
const environment = readEnvironment();
const clients = { ...createDynamoClients(clientOptions), secrets: createSecretsClient(clientOptions), cloudwatch: lazyClient(() => createCloudWatchClient(clientOptions)) };

/** The API Lambda behind API Gateway (IAM auth): the same handler local mode serves. */
const store = createStateStore(clients.documents, environment.tableName, systemClock);
const secrets = createSecretStore(clients.secrets);

export const handler = createApiHandler({
  store,
  secrets,
  alarms: { states: new CloudWatchAlarmStates(clients.cloudwatch), namePrefix: environment.alarmNamePrefix },
  logger,
  metrics,
  tracer,
  extraRoutes: [
    ...secretRoutes({
      secrets,
      store,
      ...(environment.rotationFunctionArn ? { rotationFunctionArn: environment.rotationFunctionArn } : {}),
    }),
    ...jobRoutes({ jobs: new JobStore(clients.documents, environment.tableName, systemClock), secrets, clock: systemClock }),
  ],
});
