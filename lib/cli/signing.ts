import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { CLI_DEFAULTS } from './defaults.js';
import type { HttpRequestSpec } from './http.js';

/** Static credentials or a provider, as SignatureV4 accepts them. */
export type SigningCredentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

export interface SigningConfig {
  region: string;
  credentials: SigningCredentials;
  /** Signing name; API Gateway's is `execute-api`. */
  service?: string;
  /** Fixed signing time, for tests; defaults to now. */
  signingDate?: Date;
}

/** Returns the request with `authorization`, `x-amz-date` (and a session token) added, per SigV4. */
export async function signRequest(request: HttpRequestSpec, config: SigningConfig): Promise<HttpRequestSpec> {
  const signer = new SignatureV4({
    service: config.service ?? CLI_DEFAULTS.signingService,
    region: config.region,
    credentials: config.credentials,
    sha256: Sha256,
  });
  const { url } = request;
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname,
      query,
      headers: { ...request.headers },
      body: request.body,
    },
    { signingDate: config.signingDate },
  );
  return { ...request, headers: signed.headers };
}
