import jobSpecSchema from '../../../schema/job-spec.schema.json' with { type: 'json' };
import serviceSpecSchema from '../../../schema/service-spec.schema.json' with { type: 'json' };
import { promoteRequestSchema, rollbackRequestSchema, scaleRequestSchema } from '../../core/spec/request-schemas.js';
import { toOpenApiSchema, type JsonSchema } from './schema-dialects.js';

/**
 * The request bodies, exactly the draft-07 schemas the handler validates with (schema/ and
 * lib/core/spec/requests.ts), each keyed by the component name the document uses.
 */
export const requestSchemas = {
  ServiceSpec: serviceSpecSchema,
  JobSpec: jobSpecSchema,
  ScaleRequest: scaleRequestSchema,
  RollbackRequest: rollbackRequestSchema,
  PromoteRequest: promoteRequestSchema,
} as const satisfies Record<string, JsonSchema>;

export type RequestSchemaName = keyof typeof requestSchemas;

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const string = { type: 'string' };
const integer = { type: 'integer' };
const timestamp = { type: 'string', format: 'date-time' };
const nextToken = { type: 'string', description: 'Present when more follow: pass it as ?nextToken= for the next page.' };
const closed = (properties: Record<string, JsonSchema>, required: string[], description?: string): JsonSchema => ({
  type: 'object',
  ...(description ? { description } : {}),
  additionalProperties: false,
  required,
  properties,
});

/** The answers, written to match lib/api's views (the contract test checks they do). */
const responseSchemas: Record<string, JsonSchema> = {
  ServiceStatus: closed(
    {
      phase: { enum: ['Pending', 'Progressing', 'Available', 'Degraded', 'Failed', 'RolledBack', 'Paused', 'Aborted', 'Terminating'] },
      observedGeneration: { ...integer, description: 'The generation the reconciler last acted on; compare with generation.' },
      revision: { ...integer, description: 'The revision running or being rolled out.' },
      targetRevision: { ...integer, description: "The revision of the user's latest spec." },
      image: { ...string, description: 'The image of `revision`: what runs (after a rollback, not the spec image).' },
      stableRevision: { ...integer, description: 'The last revision that rolled out completely.' },
      counts: closed(
        { desired: integer, running: integer, healthy: integer, updated: integer, available: integer },
        ['desired', 'running', 'healthy', 'updated', 'available'],
      ),
      message: string,
      conditions: {
        type: 'array',
        items: closed(
          { type: string, status: { enum: ['True', 'False'] }, reason: string, message: string, lastTransitionTime: timestamp },
          ['type', 'status', 'reason', 'message', 'lastTransitionTime'],
        ),
      },
      paused: { type: 'boolean' },
      rollout: closed(
        {
          revision: { ...integer, description: 'The revision being rolled out (the stable one while rolling back).' },
          startedAt: timestamp,
          step: { ...integer, description: 'Canary: index (from 0) of the step in progress; equals steps once every step is done.' },
          steps: { ...integer, description: 'Canary: how many steps there are.' },
          weight: { ...integer, description: 'Canary: percent of replicas on the new revision.' },
          waiting: {
            oneOf: [
              closed({ kind: { const: 'untilPromoted' } }, ['kind']),
              closed({ kind: { const: 'timed' }, endsAt: timestamp }, ['kind', 'endsAt']),
            ],
            description: 'Canary: waiting at a pause step, for promote or until endsAt.',
          },
          held: closed(
            { reason: { enum: ['AlarmFiringAtStart', 'AlarmsUnreadable', 'AlarmMissing'] }, message: string },
            ['reason', 'message'],
            'Why the rollout is held: nothing is started or stopped for it meanwhile.',
          ),
        },
        ['revision', 'startedAt'],
        'The rollout in progress; absent once one completed.',
      ),
    },
    ['phase', 'observedGeneration', 'revision', 'targetRevision', 'counts', 'message', 'conditions', 'paused'],
  ),
  Service: closed(
    { name: string, generation: { ...integer, description: 'Increases with every change; the ETag.' }, spec: ref('ServiceSpec'), status: ref('ServiceStatus') },
    ['name', 'generation', 'spec', 'status'],
  ),
  RollbackAccepted: closed(
    {
      name: string, generation: integer, spec: ref('ServiceSpec'), status: ref('ServiceStatus'),
      rollback: closed(
        {
          from: { ...integer, description: 'The revision the spec pointed at.' },
          to: { ...integer, description: 'The revision it goes back to.' },
          skipped: { type: 'array', items: integer, description: 'Revisions passed over because they never became fully available.' },
          message: string,
        },
        ['from', 'to', 'skipped', 'message'],
      ),
    },
    ['name', 'generation', 'spec', 'status', 'rollback'],
  ),
  ServiceList: closed({ services: { type: 'array', items: ref('Service') }, nextToken }, ['services']),
  ServiceEvent: closed(
    { time: timestamp, type: string, message: string, taskArn: string, revision: integer },
    ['time', 'type', 'message'],
  ),
  ServiceEventList: closed({ events: { type: 'array', description: 'Newest first.', items: ref('ServiceEvent') } }, ['events']),
  JobRun: closed(
    {
      tick: timestamp,
      status: { enum: ['Pending', 'Running', 'Succeeded', 'Failed', 'TimedOut', 'Skipped', 'Missed', 'Replaced'] },
      taskArn: string,
      exitCode: integer,
      stoppedReason: string,
      durationSeconds: { type: 'number' },
      latenessSeconds: { type: 'number', description: 'How late the run started: task creation minus the tick.' },
      startedAt: timestamp,
      stoppedAt: timestamp,
    },
    ['tick', 'status'],
  ),
  JobStatus: closed(
    {
      nextRunAt: timestamp,
      timeZone: { type: 'string', description: 'IANA time zone the cron schedule is read in.' },
      lastScheduledTick: timestamp,
      activeRuns: integer,
      lastRuns: { type: 'array', description: 'Newest first.', items: ref('JobRun') },
      deleting: { const: true },
    },
    ['activeRuns', 'lastRuns'],
  ),
  Job: closed({ name: string, generation: integer, spec: ref('JobSpec'), status: ref('JobStatus') }, ['name', 'generation', 'spec', 'status']),
  JobList: closed({ jobs: { type: 'array', items: ref('Job') }, nextToken }, ['jobs']),
  Secret: closed(
    {
      name: string,
      arn: string,
      rotationEnabled: { type: 'boolean' },
      rotationRules: closed({ automaticallyAfterDays: integer, scheduleExpression: string, duration: string }, []),
      lastRotatedAt: timestamp,
      nextRotationAt: timestamp,
      consumers: { type: 'array', description: 'Services whose spec references the secret.', items: string },
    },
    ['name', 'arn', 'rotationEnabled', 'consumers'],
    'What Corral knows about a secret; never its value.',
  ),
  RotationStarted: closed(
    { name: string, versionId: string, consumers: { type: 'array', description: 'Services that will be restarted, rolling.', items: string } },
    ['name', 'consumers'],
  ),
  Error: closed(
    {
      error: closed(
        {
          code: { ...string, description: 'ValidationError, NotFound, Conflict, PreconditionFailed, PayloadTooLarge, UnsupportedMediaType; API Gateway\'s own response types (e.g. MISSING_AUTHENTICATION_TOKEN, THROTTLED) for answers it makes itself.' },
          message: string,
          details: {
            type: 'array',
            items: closed({ field: { ...string, description: 'Path of the offending field, e.g. rollout.maxSurge; "" for the body.' }, message: string }, ['field', 'message']),
          },
          requestId: { ...string, description: 'The x-request-id of the answer; quote it when reporting a problem.' },
        },
        ['code', 'message', 'details', 'requestId'],
      ),
    },
    ['error'],
  ),
};

/** Every schema of the document's `components.schemas`. */
export function componentSchemas(): Record<string, JsonSchema> {
  const requests = Object.fromEntries(Object.entries(requestSchemas).map(([name, schema]) => [name, toOpenApiSchema(schema)]));
  return { ...requests, ...responseSchemas };
}
