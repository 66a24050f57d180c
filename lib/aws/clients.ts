import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
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
  /**
   * Instruments each client as it is built: the Lambda entries pass the Tracer's
   * captureAWSv3Client, so every AWS call is a subsegment of the invocation's trace.
   */
  capture?: <T>(client: T) => T;
}

export interface AwsClients {
  dynamo: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  ecs: ECSClient;
  secrets: SecretsManagerClient;
  sqs: SQSClient;
  cloudwatch: CloudWatchClient;
}

/** The clients one function uses: a Lambda builds (and its bundle carries) only those. */
export type ClientName = keyof AwsClients;

/** Options for a local endpoint: any credentials are accepted there. */
export function localClientOptions(endpoint: string): ClientOptions {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
}

/** The SDK client configuration for `options` (shared by every client factory). */
export function sdkConfig(options: ClientOptions) {
  return {
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  };
}

/** `client`, instrumented if the options say how. */
export function captured<T>(options: ClientOptions, client: T): T {
  return options.capture ? options.capture(client) : client;
}

/** The DynamoDB client and the document client over it. */
export function createDynamoClients(options: ClientOptions = {}): Pick<AwsClients, 'dynamo' | 'documents'> {
  const dynamo = captured(options, new DynamoDBClient(sdkConfig(options)));
  return { dynamo, documents: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }) };
}

export function createEcsClient(options: ClientOptions = {}): ECSClient {
  return captured(options, new ECSClient(sdkConfig(options)));
}

export function createSecretsClient(options: ClientOptions = {}): SecretsManagerClient {
  return captured(options, new SecretsManagerClient(sdkConfig(options)));
}

/** Reads rollout alarms (DescribeAlarms). */
export function createCloudWatchClient(options: ClientOptions = {}): CloudWatchClient {
  return captured(options, new CloudWatchClient(sdkConfig(options)));
}

export function createSqsClient(options: ClientOptions = {}): SQSClient {
  return captured(options, new SQSClient(sdkConfig(options)));
}

/** Every client: local mode and the tests, which run all the functions in one process. */
export function createAwsClients(options: ClientOptions = {}): AwsClients {
  return {
    ...createDynamoClients(options),
    ecs: createEcsClient(options),
    secrets: createSecretsClient(options),
    sqs: createSqsClient(options),
    cloudwatch: createCloudWatchClient(options),
  };
}
