import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ensureTable } from '../../lib/aws/table-setup.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startLocalAws, type LocalAws, type LocalAwsOptions } from '../../lib/local/aws/index.js';
import { LocalBus } from '../../lib/local/bus.js';
import { VirtualClock } from '../../lib/local/virtual-clock.js';

export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
export const region = 'us-east-1';

export interface Harness {
  clock: VirtualClock;
  bus: LocalBus;
  aws: LocalAws;
  ecs: ECSClient;
  secrets: SecretsManagerClient;
  dynamo: DynamoDBClient;
  /** Failures the bus logged (invocations that threw). */
  logged: { message: string; error: unknown }[];
  close(): Promise<void>;
}

/** An endpoint on a free port over a virtual clock, with SDK clients pointed at it. */
export async function startHarness(options: Partial<Omit<LocalAwsOptions, 'clock' | 'bus'>> = {}): Promise<Harness> {
  const clock = new VirtualClock();
  const logged: Harness['logged'] = [];
  const bus = new LocalBus({ clock, log: (message, error) => logged.push({ message, error }) });
  const aws = await startLocalAws({ port: 0, clock, bus, clusters: ['corral'], ...options });
  const config = { endpoint: aws.url, region, credentials };
  const ecs = new ECSClient(config);
  const secrets = new SecretsManagerClient(config);
  const dynamo = new DynamoDBClient(config);
  return {
    clock,
    bus,
    aws,
    ecs,
    secrets,
    dynamo,
    logged,
    async close() {
      ecs.destroy();
      secrets.destroy();
      dynamo.destroy();
      await aws.close();
    },
  };
}

/** A harness with Corral's table created, every stream record of it appended to `records`. */
export async function startTableHarness(records: DynamoDBRecord[]): Promise<Harness> {
  const h = await startHarness();
  await ensureTable(h.dynamo, 'corral');
  h.bus.addStreamTarget('corral', (event: DynamoDBStreamEvent) => void records.push(...event.Records));
  return h;
}

export { seededRandom } from '../support/seeded-random.js';

export const webDefinition: RegisterTaskDefinitionCommandInput = {
  family: 'web',
  requiresCompatibilities: ['FARGATE'],
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    {
      name: 'app',
      image: 'nginx:1.27',
      essential: true,
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], interval: 10, timeout: 5, retries: 3, startPeriod: 0 },
    },
  ],
};

export const awsvpc = { awsvpcConfiguration: { subnets: ['subnet-local'], assignPublicIp: 'DISABLED' as const } };
