import { Logger } from '@aws-lambda-powertools/logger';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { vi } from 'vitest';
import { localClientOptions } from '../../lib/aws/clients.js';
import { createSecretStore, type SecretStore } from '../../lib/aws/secret-store.js';
import { startLocalAws, type LocalAws } from '../../lib/local/aws/index.js';
import type { RotationEvent } from '../../lib/local/aws/options.js';
import { LocalBus } from '../../lib/local/bus.js';
import { VirtualClock } from '../../lib/local/virtual-clock.js';
import type { ConsumerRestarter } from '../../lib/rotation/index.js';

/** The embedded endpoint with a Secrets Manager client on it, over the wire. */
export interface RotationHarness {
  aws: LocalAws;
  bus: LocalBus;
  client: SecretsManagerClient;
  secrets: SecretStore;
  close(): Promise<void>;
}

export const rotationLambdaArn = 'arn:aws:lambda:us-east-1:000000000000:function:corral-rotation';

/** The embedded endpoint keys rotation functions by Lambda; each secret gets its own here. */
const lambdaOf = (secretId: string): string =>
  `${rotationLambdaArn}-${secretId.replace(/[^A-Za-z0-9-_]/g, '-').slice(-40)}`;

/** Makes `fn` the rotation function RotateSecret calls for `secretId`. */
export function setRotationFunction(
  h: RotationHarness,
  secretId: string,
  fn: (event: RotationEvent) => Promise<unknown>,
): void {
  h.aws.setRotationHandler(lambdaOf(secretId), async (event) => {
    await fn(event);
  });
}

export async function startHarness(): Promise<RotationHarness> {
  const clock = new VirtualClock();
  const bus = new LocalBus({ clock, log: () => {} });
  const aws = await startLocalAws({ port: 0, clock, bus });
  const client = new SecretsManagerClient(localClientOptions(aws.url));
  return {
    aws,
    bus,
    client,
    secrets: createSecretStore(client),
    async close() {
      await bus.idle();
      client.destroy();
      await aws.close();
    },
  };
}

let secretCounter = 0;

/** Creates a secret with a JSON value holding `password`; answers its name and ARN. */
export async function createSecret(
  h: RotationHarness,
  password: string,
  tags: Record<string, string> = {},
): Promise<{ name: string; arn: string }> {
  const name = `app/db-${++secretCounter}`;
  const out = await h.client.send(
    new CreateSecretCommand({
      Name: name,
      SecretString: JSON.stringify({ username: 'app', password, host: 'db.internal' }),
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  return { name, arn: out.ARN! };
}

/** Starts a rotation through RotateSecret (which calls the registered handler). */
export async function rotateSecret(h: RotationHarness, secretId: string): Promise<string> {
  const out = await h.client.send(
    new RotateSecretCommand({
      SecretId: secretId,
      RotationLambdaARN: lambdaOf(secretId),
      RotationRules: { AutomaticallyAfterDays: 30 },
    }),
  );
  await h.bus.idle();
  return out.VersionId!;
}

/**
 * Starts a rotation whose function only records the tokens, leaving the token staged as an empty
 * AWSPENDING version — the state Secrets Manager is in when it calls createSecret — so a test
 * can then run the steps itself, one at a time.
 */
export async function stageRotation(h: RotationHarness, secretId: string): Promise<string> {
  setRotationFunction(h, secretId, async () => {});
  // The endpoint reports (on stderr) that this rotation ended without moving AWSCURRENT: expected.
  const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    return await rotateSecret(h, secretId);
  } finally {
    quiet.mockRestore();
  }
}

export async function labels(h: RotationHarness, secretId: string): Promise<Record<string, string[]>> {
  const out = await h.client.send(new DescribeSecretCommand({ SecretId: secretId }));
  const versions = out.VersionIdsToStages ?? {};
  return Object.fromEntries(Object.entries(versions).map(([id, stages]) => [id, [...stages].sort()]));
}

export async function valueAt(h: RotationHarness, secretId: string, stage: string): Promise<string> {
  const out = await h.client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }));
  return out.SecretString!;
}

export const passwordOf = (value: string): string => (JSON.parse(value) as { password: string }).password;

/** A ConsumerRestarter that records its calls; `failures` makes the next calls throw. */
export function recordingConsumers(services: string[] = ['api', 'worker']) {
  const calls: Array<{ secretId: string; reason: string }> = [];
  let failures = 0;
  const consumers: ConsumerRestarter & { calls: typeof calls; failNext(n?: number): void } = {
    calls,
    failNext(n = 1) {
      failures = n;
    },
    async restartConsumers(secretId, reason) {
      if (failures > 0) {
        failures--;
        throw new Error('state store unavailable');
      }
      calls.push({ secretId, reason });
      return services;
    },
  };
  return consumers;
}

/** A Powertools logger at DEBUG, so a log-capture test sees every line the code writes. */
export const debugLogger = (): Logger => new Logger({ serviceName: 'corral-rotation', logLevel: 'DEBUG' });

export const lambdaContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'corral-rotation',
  functionVersion: '$LATEST',
  invokedFunctionArn: rotationLambdaArn,
  memoryLimitInMB: '256',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/corral-rotation',
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 60_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
});
