import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { JobRecord, JobRun, JobStore } from '../aws/job-store.js';
import type { SecretStore } from '../aws/secret-store.js';
import type { Clock } from '../clock.js';
import { validateJobName, validateJobSpec } from '../core/spec/index.js';
import { publicJobStatus } from '../jobs/job-status.js';
import { NotFoundApiError, ValidationError } from './errors.js';
import { createdLocation, etag, ifMatchGeneration, json, parseJsonBody, pathName } from './http.js';
import { encodeToken, pageRequest } from './list-pages.js';
import { requireManagedSecrets } from './secret-references.js';
import type { Route } from './service-routes.js';
import { translateStoreErrors } from './store-error-translation.js';

function jobName(event: APIGatewayProxyEvent): string {
  const name = pathName(event);
  const errors = validateJobName(name);
  if (errors.length > 0) throw new ValidationError(errors);
  return name;
}

/**
 * `PUT/GET/DELETE /jobs/{name}` and `GET /jobs`, with the services' error contract. The API only
 * records intent: the leader-elected dispatcher starts, watches and stops the runs. DELETE
 * answers 202 and marks the job deleting; on its next tick (within a minute) the dispatcher
 * stops the job's running tasks and removes the job, after which GET answers 404.
 */
export function jobRoutes(deps: { jobs: JobStore; secrets: SecretStore; clock: Clock }): Route[] {
  function jobView(record: JobRecord, runs: readonly JobRun[]) {
    return { name: record.name, generation: record.generation, spec: record.spec, status: publicJobStatus(record, runs, deps.clock.now()) };
  }

  async function view(record: JobRecord) {
    return jobView(record, await deps.jobs.listRuns(record.name));
  }

  async function respondWith(statusCode: number, record: JobRecord, headers: Record<string, string> = {}): Promise<APIGatewayProxyResult> {
    return json(statusCode, await view(record), { ETag: etag(record.generation), ...headers });
  }

  async function mustGet(name: string): Promise<JobRecord> {
    const record = await deps.jobs.getJob(name);
    if (!record) throw new NotFoundApiError(`job ${name} not found`);
    return record;
  }

  return [
    {
      method: 'GET', path: '/jobs',
      handler: async (event) => {
        const page = await deps.jobs.listJobPage(pageRequest(event, 'job'));
        const jobs = page.items.map(({ record, runs }) => jobView(record, runs));
        return json(200, { jobs, ...(page.nextAfter === undefined ? {} : { nextToken: encodeToken('job', page.nextAfter) }) });
      },
    },
    {
      method: 'GET', path: '/jobs/{name}',
      handler: async (event) => respondWith(200, await mustGet(jobName(event))),
    },
    {
      method: 'PUT', path: '/jobs/{name}',
      handler: async (event) => {
        const name = jobName(event);
        const body = parseJsonBody(event);
        const ifMatch = ifMatchGeneration(event);
        const result = validateJobSpec(body, deps.clock.now());
        if (!result.ok) throw new ValidationError(result.errors, 'the job spec is invalid');
        await requireManagedSecrets(deps.secrets, result.spec.secrets);
        const { record, created } = await translateStoreErrors(() => deps.jobs.putJob(name, result.spec, { ifMatch }));
        return created ? respondWith(201, record, createdLocation(event)) : respondWith(200, record);
      },
    },
    {
      method: 'DELETE', path: '/jobs/{name}',
      handler: async (event) => {
        const name = jobName(event);
        const ifMatch = ifMatchGeneration(event);
        await mustGet(name);
        return respondWith(202, await translateStoreErrors(() => deps.jobs.markDeleting(name, { ifMatch })));
      },
    },
  ];
}
