import * as net from 'node:net';
import { CLI_DEFAULTS } from './defaults.js';
import { NoEndpointError, UsageError } from './errors.js';

export type EndpointSource = 'flag' | 'env' | 'stack' | 'local';

export interface ResolvedEndpoint {
  url: URL;
  source: EndpointSource;
}

export interface EndpointInputs {
  /** `--endpoint` */
  flag?: string;
  /** `--stack`, when the user gave it (a failed lookup is then an error, not a fall-through). */
  stack?: string;
  env: NodeJS.ProcessEnv;
}

export interface EndpointLookups {
  stackApiUrl(stackName: string): Promise<string | undefined>;
  localAnswers(url: URL): Promise<boolean>;
}

/**
 * `--endpoint`, then CORRAL_ENDPOINT, then the deployed stack's `ApiUrl` output, then local mode
 * if something listens there. The stack lookup and the local probe run side by side so that a
 * machine without AWS credentials (where the credential chain may spend a second on IMDS) does
 * not wait twice; the stack still wins when both answer.
 */
export async function resolveEndpoint(inputs: EndpointInputs, lookups: EndpointLookups): Promise<ResolvedEndpoint> {
  if (inputs.flag) return { url: parseEndpoint(inputs.flag, '--endpoint'), source: 'flag' };
  if (inputs.env.CORRAL_ENDPOINT) {
    return { url: parseEndpoint(inputs.env.CORRAL_ENDPOINT, 'CORRAL_ENDPOINT'), source: 'env' };
  }
  const stackName = inputs.stack ?? CLI_DEFAULTS.stackName;
  const local = new URL(CLI_DEFAULTS.localEndpoint);
  const [stack, localUp] = await Promise.all([
    lookups.stackApiUrl(stackName).then(
      (url) => ({ url, reason: url ? '' : 'it has no ApiUrl output' }),
      (error: unknown) => ({ url: undefined, reason: error instanceof Error ? error.message : String(error) }),
    ),
    inputs.stack ? Promise.resolve(false) : lookups.localAnswers(local),
  ]);
  if (stack.url) return { url: parseEndpoint(stack.url, `stack ${stackName} output ApiUrl`), source: 'stack' };
  if (inputs.stack) throw new NoEndpointError(`no Corral API in stack ${stackName}: ${stack.reason}`);
  if (localUp) return { url: local, source: 'local' };
  throw new NoEndpointError(
    'no Corral endpoint: pass --endpoint URL or set CORRAL_ENDPOINT, deploy the stack ' +
      `(stack ${stackName}: ${stack.reason}), or start local mode with "npm start" ` +
      `(nothing answers at ${local.origin})`,
  );
}

function parseEndpoint(text: string, from: string): URL {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    return url;
  } catch (error) {
    throw new UsageError(`${from}: "${text}" is not an http(s) URL`, { cause: error });
  }
}

/** True when something accepts a TCP connection at the URL's host and port. */
export function tcpAnswers(url: URL, timeoutMs: number = CLI_DEFAULTS.localProbeTimeoutMs): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) || 80 });
    const done = (answers: boolean) => {
      socket.destroy();
      resolve(answers);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
