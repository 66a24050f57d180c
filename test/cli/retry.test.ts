import { describe, expect, it } from 'vitest';
import { CorralApi } from '../../lib/cli/api-client.js';
import { ApiError, WrongEndpointError } from '../../lib/cli/errors.js';
import type { HttpRequestSpec, HttpResponse } from '../../lib/cli/http.js';
import { retryDelayMs } from '../../lib/cli/retry.js';
import { jsonResponse } from './scripted-context.js';

const service = { name: 'web', generation: 1, spec: { image: 'nginx:1', replicas: 1 }, status: {} };

function scripted(answers: HttpResponse[]) {
  const sent: HttpRequestSpec[] = [];
  const waits: number[] = [];
  const api = new CorralApi({
    endpoint: new URL('http://127.0.0.1:3000'),
    send: async (request) => {
      sent.push(request);
      return answers.shift() ?? jsonResponse(200, service);
    },
    retry: { sleep: async (ms) => void waits.push(ms), random: () => 1 },
  });
  return { api, sent, waits };
}

describe('retry', () => {
  it('repeats an idempotent request after 429 and 5xx, backing off', async () => {
    const { api, sent, waits } = scripted([jsonResponse(503, { message: 'unavailable' }), jsonResponse(429, { message: 'slow down' })]);
    expect(await api.getService('web')).toEqual(service);
    expect(sent).toHaveLength(3);
    expect(waits).toEqual([200, 400]);
  });

  it('gives up after three repeats with the last error', async () => {
    const { api, sent } = scripted(Array.from({ length: 4 }, () => jsonResponse(502, { message: 'bad gateway' })));
    await expect(api.putService('web', service.spec)).rejects.toThrow(ApiError);
    expect(sent).toHaveLength(4);
  });

  it('never repeats a POST: a rollback sent twice could roll back twice', async () => {
    const { api, sent } = scripted([jsonResponse(503, { message: 'unavailable' })]);
    await expect(api.rollback('web')).rejects.toMatchObject({ status: 503 });
    expect(sent).toHaveLength(1);
  });

  it('does not repeat a 4xx other than 429', async () => {
    const { api, sent } = scripted([jsonResponse(412, { error: { code: 'PreconditionFailed', message: 'stale', details: [] } })]);
    await expect(api.putService('web', service.spec, 1)).rejects.toMatchObject({ status: 412 });
    expect(sent).toHaveLength(1);
  });

  it('honours Retry-After, within the ceiling', () => {
    const policy = { baseDelayMs: 200, maxDelayMs: 5_000, random: () => 0.5 };
    expect(retryDelayMs(policy, 0)).toBe(100);
    expect(retryDelayMs(policy, 10)).toBe(2_500);
    expect(retryDelayMs(policy, 0, '2')).toBe(2_000);
    expect(retryDelayMs(policy, 0, '60')).toBe(5_000);
  });
});

describe('answers that are not the Corral API', () => {
  it('names an AWS endpoint as such', async () => {
    const { api } = scripted([{ status: 400, headers: {}, body: JSON.stringify({ __type: 'UnknownOperationException', message: 'no target' }) }]);
    const failure = api.listServices();
    await expect(failure).rejects.toThrow(WrongEndpointError);
    await expect(failure).rejects.toThrow(/AWS service endpoint, not the Corral API/);
  });

  it('suggests the closest service on a 404', async () => {
    const { api } = scripted([
      jsonResponse(404, { error: { code: 'NotFound', message: 'service wbe not found', details: [] } }),
      jsonResponse(200, { services: [{ ...service, name: 'api' }, service] }),
    ]);
    await expect(api.getService('wbe')).rejects.toMatchObject({ status: 404, hint: 'did you mean service/web?' });
  });
});
