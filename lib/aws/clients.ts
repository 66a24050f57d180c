import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * Where the SDK clients point. Empty means the SDK's own resolution: `AWS_ENDPOINT_URL`
 * (LocalStack, local mode) or the real AWS endpoints, with the default credential chain.
 */
export interface ClientOptions {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
}

export interface AwsClients {
  dynamo: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  ecs: ECSClient;
  secrets: SecretsManagerClient;
  sqs: SQSClient;
}

/** Options for a local endpoint: any credentials are accepted there. */
export function localClientOptions(endpoint: string): ClientOptions {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
}

export function createAwsClients(options: ClientOptions = {}): AwsClients {
  const config = {
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  };
  const dynamo = new DynamoDBClient(config);
  return {
    dynamo,
    documents: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    ecs: new ECSClient(config),
    secrets: new SecretsManagerClient(config),
    sqs: new SQSClient(config),
  };
}
