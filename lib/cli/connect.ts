import { CorralApi, type RequestSigner } from './api-client.js';
import { credentialProvider, resolveRegion, type AwsSelection } from './aws-identity.js';
import { activeContext } from './config-file.js';
import { resolveEndpoint, tcpAnswers } from './endpoint.js';
import { isLoopback } from './loopback.js';
import { signRequest } from './signing.js';
import { lookupStackApiUrl } from './stack-output.js';

/** The global options that say where to connect. */
export interface ConnectOptions {
  endpoint?: string;
  stack?: string;
  context?: string;
  profile?: string;
  region?: string;
  env: NodeJS.ProcessEnv;
}

export interface Connection {
  api: CorralApi;
  endpoint: URL;
  /** Profile and region for AWS calls beyond the API (the stack lookup, CloudWatch Logs). */
  aws: AwsSelection;
}

/**
 * Whether requests to this endpoint are SigV4-signed: API Gateway (anything not on loopback)
 * yes, local mode no. CORRAL_SIGV4=1 forces signing (tests, a signing proxy on loopback),
 * CORRAL_SIGV4=0 turns it off (an unauthenticated API on another host).
 */
export function shouldSign(url: URL, env: NodeJS.ProcessEnv): boolean {
  if (env.CORRAL_SIGV4 === '1') return true;
  if (env.CORRAL_SIGV4 === '0') return false;
  return !isLoopback(url);
}

/**
 * The resolved endpoint and, when it calls for it, the SigV4 signer (the API client and `corral
 * dashboard` share it). Precedence, most specific first: `--endpoint`, the endpoint of
 * `--context NAME`, CORRAL_ENDPOINT, the current context's endpoint, the stack's ApiUrl, local
 * mode. A context's stack, profile and region apply unless the flags say otherwise.
 */
export async function resolveConnection(options: ConnectOptions): Promise<{ endpoint: URL; sign?: RequestSigner; aws: AwsSelection }> {
  const { context, explicit } = activeContext(options.env, options.context);
  const aws: AwsSelection = {
    ...((options.profile ?? context?.profile) ? { profile: options.profile ?? context?.profile } : {}),
    ...((options.region ?? context?.region) ? { region: options.region ?? context?.region } : {}),
  };
  const contextEndpoint = explicit || !options.env.CORRAL_ENDPOINT ? context?.endpoint : undefined;
  const { url } = await resolveEndpoint(
    { flag: options.endpoint ?? contextEndpoint, stack: options.stack ?? context?.stack, env: options.env },
    { stackApiUrl: (stack) => lookupStackApiUrl(stack, aws), localAnswers: (u) => tcpAnswers(u) },
  );
  if (!shouldSign(url, options.env)) return { endpoint: url, aws };
  const region = await resolveRegion(url.hostname, options.env, aws);
  const credentials = credentialProvider(aws.profile);
  const sign: RequestSigner = (request) => signRequest(request, { region, credentials });
  return { endpoint: url, sign, aws: { ...aws, region } };
}

/** Resolves the endpoint and builds the API client, signing when the endpoint calls for it. */
export async function connect(options: ConnectOptions): Promise<Connection> {
  const { endpoint, sign, aws } = await resolveConnection(options);
  return { api: new CorralApi({ endpoint, ...(sign ? { sign } : {}) }), endpoint, aws };
}
