import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchAlarmStates } from '../aws/alarm-states.js';
import type { AwsClients } from '../aws/clients.js';
import type { SendingClient } from '../aws/lazy-client.js';
import type { TrafficPorts } from '../aws/traffic.js';
import { EcsContainerRuntime, type EcsRuntimeOptions } from '../aws/ecs-runtime.js';
import type { CorralEnvironment } from '../aws/environment.js';
import { DynamoLeaseStore } from '../aws/lease-store.js';
import { SqsRequeue, type Requeue } from '../aws/requeue.js';
import { createStateStore } from '../aws/state-store.js';
import { systemClock, type Clock } from '../clock.js';
import type { CorralMetrics } from '../observability/metrics.js';
import type { ReconcilerDependencies } from './runner.js';
import type { TaskDefinitionSettings } from './task-definitions.js';

/** What the reconciler's ports are built from, wherever it runs. */
export interface ReconcilerWiring {
  documents: DynamoDBDocumentClient;
  ecs: ECSClient;
  cloudwatch: SendingClient<CloudWatchClient>;
  tableName: string;
  cluster: EcsRuntimeOptions;
  requeue: Requeue;
  clock: Clock;
  logger: Logger;
  metrics: CorralMetrics;
  taskDefinitions: TaskDefinitionSettings;
  /** Target groups and Cloud Map, for services that use them. */
  traffic?: TrafficPorts;
}

/** The reconciler's ports, with the function's metrics whose buffer the handler publishes. */
export type ReconcilerParts = Omit<ReconcilerDependencies, 'holder' | 'metrics'> & { metrics: CorralMetrics };

/** The one place the reconciler's ports are assembled (Lambda, local mode and tests). */
export function assembleReconcilerDependencies(wiring: ReconcilerWiring): ReconcilerParts {
  return {
    state: createStateStore(wiring.documents, wiring.tableName, wiring.clock),
    leases: new DynamoLeaseStore(wiring.documents, wiring.tableName),
    runtime: new EcsContainerRuntime(wiring.ecs, wiring.cluster),
    alarms: new CloudWatchAlarmStates(wiring.cloudwatch),
    requeue: wiring.requeue,
    clock: wiring.clock,
    logger: wiring.logger,
    metrics: wiring.metrics,
    taskDefinitions: wiring.taskDefinitions,
    ...(wiring.traffic ? { traffic: wiring.traffic } : {}),
  };
}

/** The reconciler's ports on real AWS clients, from the stack's environment. */
export function reconcilerDependencies(
  environment: CorralEnvironment,
  clients: Pick<AwsClients, 'documents' | 'ecs' | 'sqs'> & { cloudwatch: SendingClient<CloudWatchClient> },
  observability: { logger: Logger; metrics: CorralMetrics },
  traffic?: TrafficPorts,
): ReconcilerParts {
  return assembleReconcilerDependencies({
    ...(traffic ? { traffic } : {}),
    documents: clients.documents,
    ecs: clients.ecs,
    cloudwatch: clients.cloudwatch,
    tableName: environment.tableName,
    cluster: {
      cluster: environment.clusterArn,
      subnets: environment.subnetIds,
      securityGroups: environment.securityGroupIds,
      assignPublicIp: environment.assignPublicIp,
    },
    requeue: new SqsRequeue(clients.sqs, environment.requeueQueueUrl),
    clock: systemClock,
    ...observability,
    taskDefinitions: {
      executionRoleArn: environment.executionRoleArn,
      taskRoleArn: environment.taskRoleArn,
      logGroupPrefix: environment.logGroupPrefix,
      region: environment.region,
    },
  });
}
