import type { RequestSchemaName } from './components.js';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface ResponseDoc {
  description: string;
  /** Component schema of the JSON body. */
  schema: string;
  /** Headers beyond x-request-id, which every answer has. */
  headers?: readonly ('ETag' | 'Location')[];
}

/** A query parameter of an operation (all of them optional). */
export interface QueryParameterDoc {
  name: string;
  description: string;
  schema: Record<string, unknown>;
}

export interface OperationDoc {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  tag: 'services' | 'jobs' | 'secrets' | 'meta';
  body?: { schema: RequestSchemaName; required: boolean };
  /** Takes `If-Match: "<generation>"`. */
  ifMatch?: boolean;
  query?: readonly QueryParameterDoc[];
  responses: Readonly<Record<number, ResponseDoc>>;
}

const error = (description: string): ResponseDoc => ({ description, schema: 'Error' });
const badName = error('The name (or the body) is invalid; each detail names the field.');
const notFound = error('No such object.');
const stale = error('If-Match names another generation: the object changed since it was read.');
const conflict = error('The object is being deleted (or changed too often at once to apply the change).');
const tooLarge = error('The body is larger than 64 KiB.');
const notJson = error('The body is not application/json.');
const unmanaged = error('The secret is not tagged corral:managed=true: Corral may not describe or rotate it.');
const badPage = error('limit is not an integer from 1 to 500, or nextToken is not one this list handed out; the detail names which. Nothing was read.');

/** `limit` and `nextToken` of the paginated lists (lib/api/list-pages.ts). */
const pageParameters = (list: string): readonly QueryParameterDoc[] => [
  { name: 'limit', description: `At most this many ${list} on the page (default 100).`, schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
  {
    name: 'nextToken',
    description: `The nextToken of the previous page, unchanged: the page continues after its last ${list.replace(/s$/, '')} (in name order). ` +
      'Opaque; a token of another list or an altered one is a 400.',
    schema: { type: 'string' },
  },
];

const service = (description: string, headers: ResponseDoc['headers'] = ['ETag']): ResponseDoc => ({ description, schema: 'Service', headers });
const job = (description: string, headers: ResponseDoc['headers'] = ['ETag']): ResponseDoc => ({ description, schema: 'Job', headers });

/**
 * Every route of the API, as the handlers in lib/api serve them and API Gateway routes them
 * (lib/infra/api-routes.ts): the OpenAPI document is generated from this table and the request
 * schemas, and the contract test checks the handlers answer each status listed here, and no other.
 */
export const operations: readonly OperationDoc[] = [
  {
    method: 'GET', path: '/services', operationId: 'listServices', tag: 'services', summary: 'List services with their status, a page at a time',
    query: pageParameters('services'),
    responses: {
      200: { description: 'A page of services in name order; nextToken is present when more follow.', schema: 'ServiceList' },
      400: badPage,
    },
  },
  {
    method: 'GET', path: '/services/{name}', operationId: 'getService', tag: 'services', summary: 'Spec and status of a service',
    responses: { 200: service('The service; ETag is its generation.'), 400: badName, 404: notFound },
  },
  {
    method: 'PUT', path: '/services/{name}', operationId: 'putService', tag: 'services', summary: 'Create or replace the spec of a service',
    body: { schema: 'ServiceSpec', required: true }, ifMatch: true,
    responses: {
      200: service('Replaced (or unchanged: the same spec again is no change).'),
      201: service('Created.', ['ETag', 'Location']),
      400: badName, 409: conflict, 412: stale, 413: tooLarge, 415: notJson,
    },
  },
  {
    method: 'DELETE', path: '/services/{name}', operationId: 'deleteService', tag: 'services', summary: 'Delete a service: its tasks are stopped, then it is removed',
    ifMatch: true,
    responses: { 202: service('Marked for deletion (phase Terminating).'), 400: badName, 404: notFound, 412: stale },
  },
  {
    method: 'POST', path: '/services/{name}/scale', operationId: 'scaleService', tag: 'services', summary: 'Change replicas only',
    body: { schema: 'ScaleRequest', required: true }, ifMatch: true,
    responses: { 200: service('Scaled.'), 400: badName, 404: notFound, 409: conflict, 412: stale, 413: tooLarge, 415: notJson },
  },
  {
    method: 'POST', path: '/services/{name}/rollback', operationId: 'rollbackService', tag: 'services', summary: 'Roll back to the previous stable (or the given) revision',
    body: { schema: 'RollbackRequest', required: false }, ifMatch: true,
    responses: {
      200: { description: 'Rolling back; `rollback` says from which revision to which, and which failed ones it skipped.', schema: 'RollbackAccepted', headers: ['ETag'] },
      400: error('Invalid name or body, or a revision that is not kept.'),
      404: notFound,
      409: error('No earlier revision to roll back to, or the service is being deleted.'),
      412: stale, 413: tooLarge, 415: notJson,
    },
  },
  ...(['pause', 'resume'] as const).map((action): OperationDoc => ({
    method: 'POST', path: `/services/{name}/${action}`, operationId: `${action}Service`, tag: 'services',
    summary: action === 'pause' ? 'Pause the rollout: nothing is started or stopped for it' : 'Resume a paused rollout',
    ifMatch: true,
    responses: { 200: service(action === 'pause' ? 'Paused.' : 'Resumed.'), 400: badName, 404: notFound, 412: stale, 413: tooLarge, 415: notJson },
  })),
  {
    method: 'POST', path: '/services/{name}/promote', operationId: 'promoteService', tag: 'services',
    summary: 'Move a canary to its next step ({"full": true}: skip every remaining step); also lets go of a hold for an alarm firing since before the rollout',
    body: { schema: 'PromoteRequest', required: false }, ifMatch: true,
    responses: {
      200: service('Promoted.'), 400: error('Invalid name or body.'), 404: notFound,
      409: error('No rollout in progress to promote.'), 412: stale, 413: tooLarge, 415: notJson,
    },
  },
  {
    method: 'POST', path: '/services/{name}/abort', operationId: 'abortService', tag: 'services',
    summary: 'Stop the rollout and go back to the stable revision at full count (phase Aborted)',
    ifMatch: true,
    responses: {
      200: service('Aborting.'), 400: badName, 404: notFound,
      409: error('No rollout in progress, or no stable revision to go back to.'), 412: stale, 413: tooLarge, 415: notJson,
    },
  },
  {
    method: 'GET', path: '/services/{name}/events', operationId: 'listServiceEvents', tag: 'services', summary: 'Recent events of a service, newest first',
    responses: { 200: { description: 'Up to 50 events of the last week.', schema: 'ServiceEventList' }, 400: badName, 404: notFound },
  },
  {
    method: 'GET', path: '/jobs', operationId: 'listJobs', tag: 'jobs', summary: 'List singleton scheduled jobs, a page at a time',
    query: pageParameters('jobs'),
    responses: {
      200: { description: 'A page of jobs in name order; nextToken is present when more follow.', schema: 'JobList' },
      400: badPage,
    },
  },
  {
    method: 'GET', path: '/jobs/{name}', operationId: 'getJob', tag: 'jobs', summary: 'Spec, next run and last runs of a job',
    responses: { 200: job('The job.'), 400: badName, 404: notFound },
  },
  {
    method: 'PUT', path: '/jobs/{name}', operationId: 'putJob', tag: 'jobs', summary: 'Create or replace a job',
    body: { schema: 'JobSpec', required: true }, ifMatch: true,
    responses: { 200: job('Replaced.'), 201: job('Created.', ['ETag', 'Location']), 400: badName, 409: conflict, 412: stale, 413: tooLarge, 415: notJson },
  },
  {
    method: 'DELETE', path: '/jobs/{name}', operationId: 'deleteJob', tag: 'jobs', summary: 'Delete a job; the dispatcher stops its runs, then removes it',
    ifMatch: true,
    responses: { 202: job('Marked for deletion.'), 400: badName, 404: notFound, 412: stale },
  },
  {
    method: 'GET', path: '/secrets/{name}', operationId: 'getSecret', tag: 'secrets', summary: 'Rotation dates and consumers of a secret (never its value)',
    responses: { 200: { description: 'The secret.', schema: 'Secret' }, 400: badName, 403: unmanaged, 404: notFound },
  },
  {
    method: 'POST', path: '/secrets/{name}/rotate', operationId: 'rotateSecret', tag: 'secrets', summary: 'Rotate a secret now; its consumers are restarted, rolling',
    responses: {
      202: { description: 'Rotation started.', schema: 'RotationStarted' },
      400: badName, 403: unmanaged, 404: notFound,
      409: error('The secret has no rotation function, or a rotation is already under way.'),
      413: tooLarge, 415: notJson,
    },
  },
];

/** Served by local mode's API server (and published as schema/openapi.json), not by API Gateway. */
export const documentOperation: OperationDoc = {
  method: 'GET', path: '/openapi.json', operationId: 'getOpenApiDocument', tag: 'meta', summary: 'This document',
  responses: { 200: { description: 'The OpenAPI 3.1 document of the API.', schema: 'OpenApiDocument' } },
};
