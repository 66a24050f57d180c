import { CorralApi, type RequestSigner } from './api-client.js';
import { credentialProvider, resolveRegion } from './aws-identity.js';
import { isLoopback, resolveEndpoint, tcpAnswers, type EndpointInputs } from './endpoint.js';
import { signRequest } from './signing.js';
import { lookupStackApiUrl } from './stack-output.js';

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

/** The resolved endpoint and, when it calls for it, the SigV4 signer (the API client and `corral dashboard` share it). */
export async function resolveConnection(inputs: EndpointInputs): Promise<{ endpoint: URL; sign?: RequestSigner }> {
  const { url } = await resolveEndpoint(inputs, { stackApiUrl: lookupStackApiUrl, localAnswers: (u) => tcpAnswers(u) });
  if (!shouldSign(url, inputs.env)) return { endpoint: url };
  const region = await resolveRegion(url.hostname, inputs.env);
  const credentials = credentialProvider();
  const sign: RequestSigner = (request) => signRequest(request, { region, credentials });
  return { endpoint: url, sign };
}

/** Resolves the endpoint and builds the API client, signing when the endpoint calls for it. */
export async function connect(inputs: EndpointInputs): Promise<CorralApi> {
  return new CorralApi(await resolveConnection(inputs));
}
