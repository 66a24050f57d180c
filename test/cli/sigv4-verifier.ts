import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface VerifierCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface VerifiedRequest {
  method: string;
  path: string;
  accepted: boolean;
  reason: string;
}

export interface VerifyingServer {
  url: string;
  requests: VerifiedRequest[];
  close(): Promise<void>;
}

/**
 * An HTTP server that checks SigV4 the way API Gateway does, with the same library: it recomputes
 * the payload hash from the body it received, re-signs the received request (the signed headers
 * only, at the request's own x-amz-date) with the known secret, and compares Authorization.
 * Accepted requests get `200 {"services": []}`, rejected ones `403 {"message": ...}`.
 */
export async function startVerifyingServer(credentials: VerifierCredentials, region: string): Promise<VerifyingServer> {
  const requests: VerifiedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      void verify(req, body, credentials, region).then((reason) => {
        const accepted = reason === '';
        requests.push({ method: req.method ?? '', path: req.url ?? '', accepted, reason });
        res.writeHead(accepted ? 200 : 403, { 'content-type': 'application/json' });
        res.end(JSON.stringify(accepted ? { services: [] } : { message: reason }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** '' when the signature is valid, else why not. */
async function verify(req: http.IncomingMessage, body: string, credentials: VerifierCredentials, region: string): Promise<string> {
  const authorization = req.headers.authorization ?? '';
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(
    authorization,
  );
  if (!match) return 'Missing Authentication Token';
  const [, accessKeyId, signedRegion, service, signedHeaderList] = match;
  if (accessKeyId !== credentials.accessKeyId) return 'The security token included in the request is invalid';
  if (signedRegion !== region || service !== 'execute-api') return `Credential should be scoped to ${region}/execute-api`;
  const claimedHash = req.headers['x-amz-content-sha256'];
  if (claimedHash !== undefined && claimedHash !== createHash('sha256').update(body).digest('hex')) {
    return 'The provided x-amz-content-sha256 header does not match the body';
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaderList.split(';')) {
    const value = req.headers[name];
    if (value === undefined) return `signed header ${name} is missing`;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const amzDate = headers['x-amz-date'] ?? '';
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (Number.isNaN(signingDate.getTime())) return 'x-amz-date is missing or malformed';
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const query: Record<string, string> = Object.fromEntries(url.searchParams);
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256 });
  const expected = await signer.sign(
    {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname,
      query,
      headers,
      body: body === '' ? undefined : body,
    },
    { signingDate },
  );
  return expected.headers.authorization === authorization
    ? ''
    : 'The request signature we calculated does not match the signature you provided';
}
