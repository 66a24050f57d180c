import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import {
  validatePromoteRequest,
  validateRollbackRequest,
  validateScaleRequest,
  validateServiceName,
  validateServiceSpec,
  undoTarget,
  type UndoTarget,
} from '../core/spec/index.js';
import type { SecretStore } from '../aws/secret-store.js';
import type { ServiceRecord, StateStore, StatusRecord } from '../aws/state-store.js';
import { checkIfMatch } from '../aws/generation-writes.js';
import { ConflictApiError, NotFoundApiError, ValidationError } from './errors.js';
import { createdLocation, etag, ifMatchGeneration, json, parseJsonBody, pathName } from './http.js';
import { publicStatus } from './public-status.js';
import { encodeToken, pageRequest } from './list-pages.js';
import { requireRolloutAlarms, type RolloutAlarmChecks } from './alarm-references.js';
import { requireManagedSecrets } from './secret-references.js';
import { translateStoreErrors } from './store-error-translation.js';

type RouteHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
export interface Route {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  handler: RouteHandler;
}

/** Phases in which a generation's rollout is over. */
const endedPhases = new Set(['Available', 'RolledBack', 'Aborted', 'Failed']);

/** Job task definitions are family `corral-job-<job>`, so no service may be called `job-…`. */
const reservedPrefix = 'job-';

function serviceName(event: APIGatewayProxyEvent): string {
  const name = pathName(event);
  const errors = validateServiceName(name);
  if (errors.length > 0) throw new ValidationError(errors.map((e) => ({ ...e, field: 'name' })));
  return name;
}

/** The service routes of the public contract; each records intent and leaves acting to the reconciler. */
export function serviceRoutes(store: StateStore, secrets: SecretStore, alarms?: RolloutAlarmChecks): Route[] {
  async function view(record: ServiceRecord) {
    return serviceView(record, await store.getStatus(record.name));
  }

  async function mustGet(name: string): Promise<ServiceRecord> {
    const record = await store.getService(name);
    if (!record) throw new NotFoundApiError(`service ${name} not found`);
    return record;
  }

  async function respondWith(statusCode: number, record: ServiceRecord, headers: Record<string, string> = {}): Promise<APIGatewayProxyResult> {
    return json(statusCode, await view(record), { ETag: etag(record.generation), ...headers });
  }

  /** Promote and abort act on a rollout of the current generation; one that has ended is a 409. */
  async function requireRolloutInProgress(record: ServiceRecord, action: 'promote' | 'abort') {
    const status = (await store.getStatus(record.name))?.status;
    const settled = status !== undefined && status.observedGeneration >= record.generation && endedPhases.has(status.phase);
    if (settled || (status !== undefined && record.abortedRevision === record.revision)) {
      throw new ConflictApiError(`service ${record.name} has no rollout in progress to ${action} (phase ${status.phase})`);
    }
    return status;
  }

  const routes: Route[] = [
    {
      method: 'GET', path: '/services',
      handler: async (event) => {
        const page = await store.listServicePage(pageRequest(event, 'service'));
        const services = page.items.map(({ record, status }) => serviceView(record, status));
        return json(200, { services, ...(page.nextAfter === undefined ? {} : { nextToken: encodeToken('service', page.nextAfter) }) });
      },
    },
    {
      method: 'GET', path: '/services/{name}',
      handler: async (event) => respondWith(200, await mustGet(serviceName(event))),
    },
    {
      method: 'PUT', path: '/services/{name}',
      handler: async (event) => {
        const name = serviceName(event);
        if (name.startsWith(reservedPrefix)) {
          throw new ValidationError([{ field: 'name', message: `must not start with "${reservedPrefix}": job task definitions use those family names` }]);
        }
        const body = parseJsonBody(event);
        const ifMatch = ifMatchGeneration(event);
        const result = validateServiceSpec(body);
        if (!result.ok) throw new ValidationError(result.errors, 'the service spec is invalid');
        await requireManagedSecrets(secrets, result.spec.secrets);
        if (alarms) await requireRolloutAlarms(alarms, result.spec.rollout.alarms);
        const { record, created } = await translateStoreErrors(() => store.putService(name, result.spec, { ifMatch }));
        return created ? respondWith(201, record, createdLocation(event)) : respondWith(200, record);
      },
    },
    {
      method: 'DELETE', path: '/services/{name}',
      handler: async (event) => {
        const name = serviceName(event);
        const ifMatch = ifMatchGeneration(event);
        const current = await mustGet(name);
        await translateStoreErrors(async () => checkIfMatch({ ifMatch }, current));
        const record = current.deleting
          ? current
          : await translateStoreErrors(() => store.updateService(name, () => ({ deleting: true }), { ifMatch }));
        return respondWith(202, record);
      },
    },
    {
      method: 'POST', path: '/services/{name}/scale',
      handler: async (event) => {
        const name = serviceName(event);
        const body = parseJsonBody(event);
        const ifMatch = ifMatchGeneration(event);
        const result = validateScaleRequest(body);
        if (!result.ok) throw new ValidationError(result.errors);
        const record = await translateStoreErrors(() =>
          store.updateService(name, (current) => ({ spec: { ...current.spec, replicas: result.replicas } }), { ifMatch }));
        return respondWith(200, record);
      },
    },
    {
      method: 'POST', path: '/services/{name}/rollback',
      handler: async (event) => {
        const name = serviceName(event);
        const body = parseJsonBody(event, { optional: true });
        const ifMatch = ifMatchGeneration(event);
        const result = validateRollbackRequest(body ?? {});
        if (!result.ok) throw new ValidationError(result.errors);
        const current = await mustGet(name);
        const undo = result.revision === undefined ? await previousStableRevision(store, current) : { to: result.revision, skipped: [] };
        const target = undo.to;
        if (result.revision !== undefined && !(await store.getRevision(name, target))) {
          const kept = (await store.listRevisions(name)).map((r) => r.revision);
          throw new ValidationError([{ field: 'revision', message: `revision ${target} does not exist; kept revisions: ${kept.join(', ')}` }]);
        }
        const record = await translateStoreErrors(() => store.rollbackService(name, target, { ifMatch }));
        const skipped = undo.skipped.length > 0 ? ` (skipping ${undo.skipped.length === 1 ? 'revision' : 'revisions'} ${undo.skipped.join(', ')}: never fully available)` : '';
        const message = `Rolling back from revision ${current.revision} to revision ${target}${skipped}`;
        await store.appendEvents(name, [{ type: 'RollbackRequested', message, revision: target }]);
        return json(200, { ...(await view(record)), rollback: { from: current.revision, to: target, skipped: undo.skipped, message } }, { ETag: etag(record.generation) });
      },
    },
    ...(['pause', 'resume'] as const).map((action): Route => ({
      method: 'POST', path: `/services/{name}/${action}`,
      handler: async (event) => {
        const name = serviceName(event);
        parseJsonBody(event, { optional: true });
        const ifMatch = ifMatchGeneration(event);
        const paused = action === 'pause';
        const current = await mustGet(name);
        await translateStoreErrors(async () => checkIfMatch({ ifMatch }, current));
        const record = current.paused === paused
          ? current
          : await translateStoreErrors(() => store.updateService(name, () => ({ paused }), { ifMatch }));
        return respondWith(200, record);
      },
    })),
    {
      method: 'POST', path: '/services/{name}/promote',
      handler: async (event) => {
        const name = serviceName(event);
        const result = validatePromoteRequest(parseJsonBody(event, { optional: true }));
        if (!result.ok) throw new ValidationError(result.errors);
        const ifMatch = ifMatchGeneration(event);
        const current = await mustGet(name);
        await requireRolloutInProgress(current, 'promote');
        const record = await translateStoreErrors(() =>
          store.updateService(name, (latest) => {
            const count = (latest.promotion?.count ?? 0) + 1;
            return { promotion: { count, fullCount: result.full ? count : (latest.promotion?.fullCount ?? 0) } };
          }, { ifMatch }));
        return respondWith(200, record);
      },
    },
    {
      method: 'POST', path: '/services/{name}/abort',
      handler: async (event) => {
        const name = serviceName(event);
        parseJsonBody(event, { optional: true });
        const ifMatch = ifMatchGeneration(event);
        const current = await mustGet(name);
        const status = await requireRolloutInProgress(current, 'abort');
        if (status?.stableRevision === undefined || status.stableRevision === current.revision) {
          throw new ConflictApiError(`service ${name} has no stable revision to go back to: revision ${current.revision} is its first`);
        }
        const record = current.abortedRevision === current.revision
          ? current
          : await translateStoreErrors(() => store.updateService(name, (latest) => ({ abortedRevision: latest.revision }), { ifMatch }));
        return respondWith(200, record);
      },
    },
    {
      method: 'GET', path: '/services/{name}/events',
      handler: async (event) => {
        const name = serviceName(event);
        await mustGet(name);
        return json(200, { events: await store.listEvents(name) });
      },
    },
  ];
  return routes;
}

/** A service as the API answers it: the spec item and the public part of its status. */
function serviceView(record: ServiceRecord, status: StatusRecord | undefined) {
  return { name: record.name, generation: record.generation, spec: record.spec, status: publicStatus(record, status?.status) };
}

/**
 * Where a rollback without a revision goes: the previous stable revision, skipping failed ones
 * (see `undoTarget`).
 */
async function previousStableRevision(store: StateStore, current: ServiceRecord): Promise<UndoTarget> {
  const stable = (await store.getStatus(current.name))?.status?.stableRevision;
  const revisions = (await store.listRevisions(current.name)).map((r) => ({ revision: r.revision, available: r.availableAt !== undefined || r.revision === stable }));
  const target = undoTarget(current.revision, current.previousRevision, revisions);
  if (!target) throw new ConflictApiError(`service ${current.name} has no earlier revision to roll back to`);
  return target;
}
