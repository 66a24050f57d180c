import { Logger } from '@aws-lambda-powertools/logger';
import type { AwsClients } from '../aws/clients.js';
import { EcsContainerRuntime } from '../aws/ecs-runtime.js';
import type { CorralEnvironment } from '../aws/environment.js';
import { DynamoLeaseStore } from '../aws/lease-store.js';
import { PendingPasses } from '../aws/pending-passes.js';
import { SqsRequeue } from '../aws/requeue.js';
import { StateStore } from '../aws/state-store.js';
import { systemClock } from '../clock.js';
import type { ReconcilerDependencies } from './reconcile-service.js';

/** The reconciler's ports on real AWS clients, from the stack's environment. */
export function reconcilerDependencies(
  environment: CorralEnvironment,
  clients: Pick<AwsClients, 'documents' | 'ecs' | 'sqs'>,
  logger: Logger,
): Omit<ReconcilerDependencies, 'holder'> {
  return {
    store: new StateStore(clients.documents, environment.tableName, systemClock),
    leases: new DynamoLeaseStore(clients.documents, environment.tableName),
    passes: new PendingPasses(clients.documents, environment.tableName),
    runtime: new EcsContainerRuntime(clients.ecs, {
      cluster: environment.clusterArn,
      subnets: environment.subnetIds,
      securityGroups: environment.securityGroupIds,
      assignPublicIp: environment.assignPublicIp,
    }),
    requeue: new SqsRequeue(clients.sqs, environment.requeueQueueUrl),
    clock: systemClock,
    logger,
    taskDefinitions: {
      executionRoleArn: environment.executionRoleArn,
      taskRoleArn: environment.taskRoleArn,
      logGroupPrefix: environment.logGroupPrefix,
      region: environment.region,
    },
  };
}
