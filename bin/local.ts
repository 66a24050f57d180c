#!/usr/bin/env node
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { localDefaults, startLocalRuntime, zeroDelays } from '../lib/local/runtime.js';

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  return parsed;
}

const program = new Command('corral-local')
  .description('Run Corral on this machine: the API, an AWS-compatible endpoint (DynamoDB, ECS, Secrets Manager) and the reconcilers')
  .option('--port <port>', 'Corral API port', port, localDefaults.apiPort)
  .option('--aws-port <port>', 'AWS-compatible endpoint port', port, localDefaults.awsPort)
  .option('--host <host>', 'address to listen on', localDefaults.host)
  .option('--data-dir <dir>', 'where desired state is kept', '.corral')
  .option('--ephemeral', 'keep everything in memory')
  .option('--delays <mode>', '"realistic" task start/stop delays or "zero"', 'realistic')
  .option('--log-level <level>', 'DEBUG, INFO, WARN or ERROR', 'WARN')
  .parse();

const options = program.opts<{ port: number; awsPort: number; host: string; dataDir: string; ephemeral?: boolean; delays: string; logLevel: string }>();
if (!['realistic', 'zero'].includes(options.delays)) program.error('--delays must be "realistic" or "zero"');

const runtime = await startLocalRuntime({
  host: options.host,
  apiPort: options.port,
  awsPort: options.awsPort,
  ...(options.ephemeral ? {} : { dataDir: resolve(options.dataDir) }),
  ...(options.delays === 'zero' ? { delays: zeroDelays } : {}),
  logLevel: options.logLevel,
  sweepAtStart: true,
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code !== 'EADDRINUSE') throw error;
  console.error(`corral-local: ${error.message}. Is local mode already running? Pick other ports with --port and --aws-port.`);
  process.exit(1);
});

console.log(`Corral API: ${runtime.apiUrl}`);
console.log(`Status page: ${runtime.apiUrl}/ui/`);
console.log(`AWS endpoint: ${runtime.awsUrl} (region us-east-1, any credentials; cluster "${runtime.clusterName}")`);
console.log(options.ephemeral ? 'State: in memory (--ephemeral)' : `State: ${resolve(options.dataDir)}`);
console.log(`
Try:
  curl -X PUT ${runtime.apiUrl}/services/web -H 'content-type: application/json' \\
       -d '{"image": "nginx:1.27", "replicas": 3}'
  curl ${runtime.apiUrl}/services/web
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --region us-east-1 \\
       --endpoint-url ${runtime.awsUrl} ecs list-tasks --cluster ${runtime.clusterName}
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    void runtime.close().then(() => process.exit(0));
  });
}
