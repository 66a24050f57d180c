import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AlarmsEmulator } from './cloudwatch/alarms-emulator.js';
import { cloudWatchJsonTarget, cloudWatchQueryVersion, serveCloudWatchJson, serveCloudWatchQuery } from './cloudwatch/cloudwatch-protocols.js';
import { handleControl, handleStatsControl } from './control.js';
import { DynamoProxy } from './dynamodb/dynamo-proxy.js';
import { EcsEmulator } from './ecs/ecs-emulator.js';
import { EcsRateLimiter } from './ecs/rate-limits.js';
import { Elbv2Emulator } from './elbv2/elbv2-emulator.js';
import { elbv2QueryVersion, serveElbv2Query } from './elbv2/elbv2-protocol.js';
import { TrafficControl } from './elbv2/traffic-control.js';
import { AwsError } from './errors.js';
import { FaultControls } from './faults.js';
import { LogsEmulator } from './logs/logs-emulator.js';
import { defaultTaskDelays, localAwsDefaults, type LocalAwsOptions, type RotationHandler } from './options.js';
import { parseQueryRequest } from './query-protocol.js';
import { SecretsEmulator } from './secrets/secrets-emulator.js';
import { CloudMapEmulator } from './servicediscovery/cloud-map-emulator.js';
import { type LocalAwsStats, StatsCounter } from './stats.js';

export interface LocalAws {
  /** "http://127.0.0.1:4566" (or the port picked). */
  url: string;
  port: number;
  close(): Promise<void>;
  /** The function RotateSecret calls for a secret whose RotationLambdaARN names it (ARN or name). */
  setRotationHandler(nameOrArn: string, handler: RotationHandler): void;
  stats(): LocalAwsStats;
  resetStats(): void;
}

const targetPrefixes = {
  DynamoDB_20120810: 'dynamodb',
  AmazonEC2ContainerServiceV20141113: 'ecs',
  secretsmanager: 'secretsmanager',
  Route53AutoNaming_v20170314: 'servicediscovery',
  Logs_20140328: 'logs',
} as const;

/** What each service calls its internal error, for failures that are the emulator's own fault. */
const serverErrorType = {
  dynamodb: 'InternalServerError',
  ecs: 'ServerException',
  secretsmanager: 'InternalServiceError',
  servicediscovery: 'InternalFailure',
  logs: 'ServiceUnavailableException',
} as const;

/**
 * The AWS-compatible endpoint of local mode: one HTTP server speaking the AWS JSON protocols,
 * routed by `X-Amz-Target` to dynalite (DynamoDB, with stream records on the bus) or to the ECS,
 * Secrets Manager, CloudWatch and CloudWatch Logs emulators (the tasks write their log lines to
 * the latter), and form-encoded Query requests (the AWS CLI's CloudWatch) by `Version`;
 * `/_corral/*` holds the fault controls. Signatures are not checked.
 */
export async function startLocalAws(options: LocalAwsOptions): Promise<LocalAws> {
  const accountId = options.accountId ?? localAwsDefaults.accountId;
  const region = options.region ?? localAwsDefaults.region;
  const random = options.random ?? Math.random;
  const { clock, bus } = options;
  const faults = new FaultControls();
  const stats = new StatsCounter();
  const dataFile = (name: string): string | undefined => (options.dataDir === undefined ? undefined : join(options.dataDir, name));
  const dynamo = await DynamoProxy.start({ dataDir: dataFile('dynamodb'), clock, bus, region, accountId });
  const secrets = new SecretsEmulator({ clock, bus, accountId, region, stateFile: dataFile('secretsmanager.json') });
  const logs = new LogsEmulator(accountId, region, () => clock.now());
  const ecs = new EcsEmulator({
    clock,
    bus,
    delays: { ...defaultTaskDelays, ...options.delays },
    faults,
    random,
    accountId,
    region,
    clusters: options.clusters ?? [],
    stateFile: dataFile('ecs.jsonl'),
    secrets,
    logs,
  });
  const alarms = new AlarmsEmulator({ clock, bus, accountId, region, stateFile: dataFile('cloudwatch.json') });
  const endpoints = ecs.endpoints();
  const elbv2 = new Elbv2Emulator({ clock, probe: endpoints, accountId, region, stateFile: dataFile('elbv2.json') });
  const cloudMap = new CloudMapEmulator({ clock, accountId, region, stateFile: dataFile('servicediscovery.json') });
  const traffic = new TrafficControl(clock, endpoints, elbv2);

  // Full buckets whenever `ecsRateLimits: "aws"` is switched on; none while it is off.
  let rateLimiter: EcsRateLimiter | undefined;
  function admittedByRateLimits(operation: string, input: unknown): boolean {
    if (faults.ecsRateLimits !== 'aws') {
      rateLimiter = undefined;
      return true;
    }
    rateLimiter ??= new EcsRateLimiter(clock.now());
    return rateLimiter.admit(operation, input, clock.now());
  }

  async function route(request: http.IncomingMessage, body: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    // A host-prefixed call (Cloud Map's DiscoverInstances on `data-…`) may reach this endpoint as its HTTP proxy,
    // with an absolute URL whose host (`data-127.0.0.1`) WHATWG URL refuses: only its path and query matter here.
    const url = new URL((request.url ?? '/').replace(/^[a-z]+:\/\/[^/?]*/i, '') || '/', 'http://local');
    const path = url.pathname;
    if (path === '/_corral/traffic') return json(200, traffic.handle(request.method ?? 'GET', url.searchParams, body ? parse(body) : undefined), 'application/json');
    if (path === '/_corral/stats') return json(200, handleStatsControl(stats, request.method ?? 'GET'), 'application/json');
    if (path.startsWith('/_corral/')) {
      return json(200, handleControl(faults, request.method ?? 'GET', path, body ? parse(body) : undefined), 'application/json');
    }
    const query = parseQueryRequest(request.headers['content-type'], body);
    if (query) {
      if (query.version === elbv2QueryVersion) {
        stats.record('elasticloadbalancing', query.action);
        return serveElbv2Query(elbv2, query, (failure) => bus.reportFailure(`local AWS endpoint: ${failure.message}`, failure.cause));
      }
      if (query.version !== cloudWatchQueryVersion) {
        throw new AwsError('InvalidAction', `The local endpoint does not serve the Query API version "${query.version}".`);
      }
      stats.record('cloudwatch', query.action);
      return serveCloudWatchQuery(alarms, query);
    }
    const target = String(request.headers['x-amz-target'] ?? '');
    const dot = target.indexOf('.');
    if (target.slice(0, dot) === cloudWatchJsonTarget) {
      stats.record('cloudwatch', target.slice(dot + 1));
      return serveCloudWatchJson(alarms, target.slice(dot + 1), body);
    }
    const service = targetPrefixes[target.slice(0, dot) as keyof typeof targetPrefixes];
    const operation = target.slice(dot + 1);
    if (dot < 0 || service === undefined) {
      throw new AwsError('UnknownOperationException', `The local endpoint does not serve X-Amz-Target "${target}".`);
    }
    stats.record(service, operation);
    try {
      if (service === 'dynamodb') return await dynamo.handle(operation, body, request.headers);
      if (service === 'ecs') {
        const input = parse(body);
        if ((faults.throttle > 0 && random() < faults.throttle) || !admittedByRateLimits(operation, input)) {
          stats.recordThrottled();
          throw new AwsError('ThrottlingException', 'Rate exceeded');
        }
        return json(200, ecs.handle(operation, input));
      }
      if (service === 'servicediscovery') return json(200, cloudMap.handle(operation, parse(body)));
      if (service === 'logs') return json(200, logs.handle(operation, parse(body)));
      return json(200, secrets.handle(operation, parse(body)));
    } catch (error) {
      if (error instanceof AwsError) throw error;
      throw new AwsError(serverErrorType[service], 'The local emulator failed to handle the request.', 500, { cause: error });
    }
  }

  const server = http.createServer((request, response) => {
    bus.noteActivity();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      route(request, Buffer.concat(chunks).toString())
        .catch((error: unknown) => {
          const failure = error instanceof AwsError ? error : new AwsError('InternalFailure', 'The local endpoint failed.', 500, { cause: error });
          if (failure.status >= 500) bus.reportFailure(`local AWS endpoint: ${failure.message}`, failure.cause);
          return json(failure.status, { __type: failure.type, message: failure.message }, undefined, failure.type);
        })
        .then((answer) => {
          bus.noteActivity();
          response.writeHead(answer.status, { 'x-amzn-requestid': randomUUID(), ...answer.headers });
          response.end(answer.body);
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? localAwsDefaults.port, options.host ?? localAwsDefaults.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? localAwsDefaults.host;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    setRotationHandler: (nameOrArn, handler) => secrets.setRotationHandler(nameOrArn, handler),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    async close() {
      traffic.stopAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await dynamo.close();
    },
  };
}

function parse(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new AwsError('SerializationException', 'The request body is not valid JSON.', 400, { cause: error });
  }
}

function json(
  status: number,
  value: unknown,
  contentType = 'application/x-amz-json-1.1',
  errorType?: string,
): { status: number; headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  return { status, headers, body: JSON.stringify(value) };
}
