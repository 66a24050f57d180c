import { describe, expect, it } from 'vitest';
import { resolveEndpoint, type EndpointLookups } from '../../lib/cli/endpoint.js';
import { NoEndpointError, UsageError } from '../../lib/cli/errors.js';

const API_URL = 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/';

function lookups(stack: string | undefined | Error, localUp: boolean): EndpointLookups & { stacksAsked: string[] } {
  const stacksAsked: string[] = [];
  return {
    stacksAsked,
    stackApiUrl: async (name) => {
      stacksAsked.push(name);
      if (stack instanceof Error) throw stack;
      return stack;
    },
    localAnswers: async () => localUp,
  };
}

describe('resolveEndpoint', () => {
  it('takes --endpoint first, then CORRAL_ENDPOINT', async () => {
    const env = { CORRAL_ENDPOINT: 'http://10.0.0.1:3000' };
    expect((await resolveEndpoint({ flag: 'http://127.0.0.1:1234', env }, lookups(API_URL, true))).url.href).toBe('http://127.0.0.1:1234/');
    expect(await resolveEndpoint({ env }, lookups(API_URL, true))).toEqual({ url: new URL('http://10.0.0.1:3000'), source: 'env' });
  });

  it('then the ApiUrl output of stack Corral (or --stack), preferred over a running local mode', async () => {
    const found = lookups(API_URL, true);
    expect(await resolveEndpoint({ env: {} }, found)).toEqual({ url: new URL(API_URL), source: 'stack' });
    expect(found.stacksAsked).toEqual(['Corral']);
    const named = lookups(API_URL, false);
    await resolveEndpoint({ env: {}, stack: 'CorralStaging' }, named);
    expect(named.stacksAsked).toEqual(['CorralStaging']);
  });

  it('falls back to local mode when no stack answers', async () => {
    const resolved = await resolveEndpoint({ env: {} }, lookups(new Error('Region is missing'), true));
    expect(resolved).toEqual({ url: new URL('http://127.0.0.1:3000'), source: 'local' });
  });

  it('explains every source it tried when nothing is found', async () => {
    const attempt = resolveEndpoint({ env: {} }, lookups(new Error('Stack with id Corral does not exist'), false));
    await expect(attempt).rejects.toThrow(NoEndpointError);
    await expect(attempt).rejects.toThrow(/--endpoint.*CORRAL_ENDPOINT.*Stack with id Corral does not exist.*npm start.*127\.0\.0\.1:3000/);
  });

  it('does not fall back to local mode when the named --stack has no API', async () => {
    await expect(resolveEndpoint({ env: {}, stack: 'Other' }, lookups(undefined, true))).rejects.toThrow(
      /no Corral API in stack Other: it has no ApiUrl output/,
    );
  });

  it('rejects an endpoint that is not an http(s) URL', async () => {
    await expect(resolveEndpoint({ flag: 'ftp://x', env: {} }, lookups(undefined, false))).rejects.toThrow(UsageError);
    await expect(resolveEndpoint({ env: { CORRAL_ENDPOINT: 'nope' } }, lookups(undefined, false))).rejects.toThrow(/CORRAL_ENDPOINT/);
  });
});
