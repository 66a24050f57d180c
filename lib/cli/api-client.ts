import { closestMatch } from '../core/suggest.js';
import { CLI_DEFAULTS } from './defaults.js';
import { ApiError, CliError, WrongEndpointError, type ApiErrorDetail } from './errors.js';
import { sendHttp, type HttpRequestSpec, type HttpResponse } from './http.js';
import { retryDelayMs, type RetryPolicy } from './retry.js';
import type { JobObject, RotationStarted, SecretInfo, ServiceEvent, ServiceObject, Spec } from './api-types.js';

/** Signs a request (SigV4) or passes it through unchanged (local mode). */
export type RequestSigner = (request: HttpRequestSpec) => Promise<HttpRequestSpec>;

export interface ApiClientOptions {
  endpoint: URL;
  sign?: RequestSigner;
  send?: (request: HttpRequestSpec) => Promise<HttpResponse>;
  retry?: Partial<RetryPolicy>;
}

export interface PutResult<T> {
  /** 201 on create, 200 on replace. */
  status: number;
  object: T;
}

/** Only these are repeated after a 429 or 5xx: doing them twice is doing them once. */
const idempotentMethods = new Set(['GET', 'PUT', 'DELETE']);

/**
 * The Corral API, one method per route. Non-2xx answers become ApiError; a 404 for a named
 * service or job suggests the closest existing name. Idempotent requests are retried with
 * backoff on 429 and 5xx.
 */
export class CorralApi {
  private readonly sign: RequestSigner;
  private readonly send: (request: HttpRequestSpec) => Promise<HttpResponse>;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: ApiClientOptions) {
    this.sign = options.sign ?? (async (request) => request);
    this.send = options.send ?? ((request) => sendHttp(request));
    this.retry = { ...CLI_DEFAULTS.retry, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), random: Math.random, ...options.retry };
  }

  /** Every service, following `nextToken` page after page; `pageSize` is each page's `limit`. */
  async listServices(pageSize?: number): Promise<{ services: ServiceObject[] }> {
    return { services: await this.everyPage<ServiceObject>('/services', 'services', pageSize) };
  }

  getService(name: string): Promise<ServiceObject> {
    return this.named('service', name, () => this.json('GET', `/services/${seg(name)}`));
  }

  /** The service, or undefined when the API answers 404. */
  findService(name: string): Promise<ServiceObject | undefined> {
    return orUndefinedOn404(this.json('GET', `/services/${seg(name)}`));
  }

  /** With `ifMatch` (a generation) the API answers 412 if the service changed since it was read. */
  async putService(name: string, spec: Spec, ifMatch?: number): Promise<PutResult<ServiceObject>> {
    const headers: Record<string, string> = ifMatch === undefined ? {} : { 'if-match': `"${ifMatch}"` };
    const response = await this.call('PUT', `/services/${seg(name)}`, spec, headers);
    return { status: response.status, object: parseBody(response) as ServiceObject };
  }

  deleteService(name: string): Promise<unknown> {
    return this.named('service', name, () => this.json('DELETE', `/services/${seg(name)}`));
  }

  scale(name: string, replicas: number): Promise<unknown> {
    return this.named('service', name, () => this.json('POST', `/services/${seg(name)}/scale`, { replicas }));
  }

  rollback(name: string, revision?: number): Promise<unknown> {
    return this.named('service', name, () => this.json('POST', `/services/${seg(name)}/rollback`, revision === undefined ? {} : { revision }));
  }

  pause(name: string): Promise<unknown> {
    return this.named('service', name, () => this.json('POST', `/services/${seg(name)}/pause`, {}));
  }

  resume(name: string): Promise<unknown> {
    return this.named('service', name, () => this.json('POST', `/services/${seg(name)}/resume`, {}));
  }

  promote(name: string, full: boolean): Promise<unknown> {
    return this.json('POST', `/services/${seg(name)}/promote`, full ? { full: true } : {});
  }

  abort(name: string): Promise<unknown> {
    return this.json('POST', `/services/${seg(name)}/abort`, {});
  }

  events(name: string): Promise<{ events: ServiceEvent[] }> {
    return this.named('service', name, () => this.json('GET', `/services/${seg(name)}/events`));
  }

  /** Every job, following `nextToken` page after page; `pageSize` is each page's `limit`. */
  async listJobs(pageSize?: number): Promise<{ jobs: JobObject[] }> {
    return { jobs: await this.everyPage<JobObject>('/jobs', 'jobs', pageSize) };
  }

  getJob(name: string): Promise<JobObject> {
    return this.named('job', name, () => this.json('GET', `/jobs/${seg(name)}`));
  }

  findJob(name: string): Promise<JobObject | undefined> {
    return orUndefinedOn404(this.json('GET', `/jobs/${seg(name)}`));
  }

  async putJob(name: string, spec: Spec): Promise<PutResult<JobObject>> {
    const response = await this.call('PUT', `/jobs/${seg(name)}`, spec);
    return { status: response.status, object: parseBody(response) as JobObject };
  }

  deleteJob(name: string): Promise<unknown> {
    return this.named('job', name, () => this.json('DELETE', `/jobs/${seg(name)}`));
  }

  rotateSecret(name: string): Promise<RotationStarted> {
    return this.json('POST', `/secrets/${seg(name)}/rotate`, {});
  }

  getSecret(name: string): Promise<SecretInfo> {
    return this.json('GET', `/secrets/${seg(name)}`);
  }

  /**
   * The items of a paginated list, page by page until an answer carries no `nextToken`. A token
   * answered twice would loop for ever, so that is an error rather than a hang.
   */
  private async everyPage<T>(path: string, key: 'services' | 'jobs', pageSize: number | undefined): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const query = new URLSearchParams({ ...(pageSize === undefined ? {} : { limit: String(pageSize) }), ...(token === undefined ? {} : { nextToken: token }) });
      const page = await this.json<Record<string, unknown>>('GET', `${path}${query.size > 0 ? `?${query}` : ''}`);
      items.push(...((page[key] as T[] | undefined) ?? []));
      token = typeof page.nextToken === 'string' ? page.nextToken : undefined;
      if (token !== undefined && seen.has(token)) throw new CliError(`${path} answered the same nextToken twice; the list would never end`);
      if (token !== undefined) seen.add(token);
    } while (token !== undefined);
    return items;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return parseBody(await this.call(method, path, body)) as T;
  }

  /** Runs a call about one named object; a 404 then names the closest existing one. */
  private async named<T>(kind: 'service' | 'job', name: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      const names = await (kind === 'service' ? this.listServices().then((l) => l.services) : this.listJobs().then((l) => l.jobs)).then(
        (objects) => objects.map((object) => object.name),
        () => [],
      );
      const close = closestMatch(name, names.filter((known) => known !== name), 3);
      throw close === undefined ? error : error.withHint(`did you mean ${kind}/${close}?`);
    }
  }

  private async call(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<HttpResponse> {
    const url = joinUrl(this.options.endpoint, path);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { host: url.host, accept: 'application/json', ...extraHeaders };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    for (let attempt = 0; ; attempt++) {
      // Signed afresh each time: a signature is only good for a few minutes.
      const response = await this.send(await this.sign({ method, url, headers, body: payload }));
      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && idempotentMethods.has(method) && attempt < this.retry.retries) {
        await this.retry.sleep(retryDelayMs(this.retry, attempt, response.headers['retry-after']));
        continue;
      }
      if (response.status >= 400) throw toApiError(response, url);
      return response;
    }
  }
}

/** Appends an API path to the endpoint, keeping a stage prefix such as `/prod/`. */
/** The endpoint (with any stage path) joined with an API path and its `?query`, if any. */
export function joinUrl(endpoint: URL, path: string): URL {
  const base = endpoint.pathname.replace(/\/+$/, '');
  const url = new URL(endpoint.origin);
  const queryAt = path.indexOf('?');
  url.pathname = `${base}${queryAt < 0 ? path : path.slice(0, queryAt)}`;
  if (queryAt >= 0) url.search = path.slice(queryAt);
  return url;
}

function seg(name: string): string {
  return encodeURIComponent(name);
}

function parseBody(response: HttpResponse): unknown {
  if (response.body.trim() === '') return {};
  try {
    return JSON.parse(response.body);
  } catch (error) {
    throw new ApiError(response.status, 'InvalidResponse', `the API answered non-JSON: ${response.body.slice(0, 200)}`, [], {
      cause: error,
    });
  }
}

async function orUndefinedOn404<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * Corral's own errors are `{"error": {code, message, details}}`; API Gateway's (IAM denials,
 * unknown stage) are `{"message": ...}` or `{"Message": ...}`, shown with the HTTP status.
 */
function toApiError(response: HttpResponse, url: URL): ApiError | WrongEndpointError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    parsed = undefined;
  }
  const record = isRecord(parsed) ? parsed : {};
  // AWS JSON protocols name the error in `__type`: this is an AWS endpoint, not Corral's API.
  if (typeof record.__type === 'string') return new WrongEndpointError(url, record.__type);
  const requestId = response.headers['x-request-id'] ?? response.headers['x-amzn-requestid'];
  const error = isRecord(record.error) ? record.error : undefined;
  if (error) {
    const details: ApiErrorDetail[] = Array.isArray(error.details)
      ? error.details.filter(isRecord).map((d) => ({ field: String(d.field ?? ''), message: String(d.message ?? '') }))
      : [];
    return new ApiError(response.status, String(error.code ?? `HTTP${response.status}`), String(error.message ?? ''), details, { requestId });
  }
  const message = record.message ?? record.Message ?? (response.body.trim() || 'empty response');
  return new ApiError(response.status, '', String(message), [], { requestId });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
