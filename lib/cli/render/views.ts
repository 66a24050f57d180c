import { stringify } from 'yaml';
import type { JobObject, SecretInfo, ServiceEvent, ServiceObject } from '../api-types.js';
import type { DiffLine } from '../spec-diff.js';
import { paintPhase, type Paint } from './color.js';
import { inlineValue } from './format.js';
import { renderTable } from './table.js';
import { age, relative } from './time.js';

const dash = (value: unknown): string => (value === undefined || value === null || value === '' ? '-' : String(value));

const serviceColumns = ['NAME', 'PHASE', 'DESIRED', 'UPDATED', 'AVAILABLE', 'REVISION', 'IMAGE'];
const serviceWideColumns = [...serviceColumns.slice(0, 6), 'STABLE', 'RUNNING', 'HEALTHY', 'IMAGE', 'MESSAGE'];

/** One row of `get services`, as an array of cells (`wide` adds stable revision, counts and message). */
export function serviceRow(service: ServiceObject, paint: Paint, wide = false): string[] {
  const status = service.status ?? {};
  const counts = status.counts ?? {};
  const row = [
    service.name,
    paintPhase(paint, status.phase),
    dash(counts.desired ?? service.spec.replicas),
    dash(counts.updated),
    dash(counts.available),
    dash(status.revision),
  ];
  return wide
    ? [...row, dash(status.stableRevision), dash(counts.running), dash(counts.healthy), dash(runningImage(service)), dash(status.message)]
    : [...row, dash(runningImage(service))];
}

/** IMAGE is what runs: the running revision's image (after a rollback, not the spec's). */
function runningImage(service: ServiceObject): unknown {
  return service.status?.image ?? service.spec.image;
}

export function servicesTable(services: readonly ServiceObject[], paint: Paint, wide = false): string {
  if (services.length === 0) return 'No services.';
  return renderTable(wide ? serviceWideColumns : serviceColumns, services.map((service) => serviceRow(service, paint, wide)));
}

export function serviceHeaders(wide: boolean): string[] {
  return wide ? serviceWideColumns : serviceColumns;
}

const jobColumns = ['NAME', 'SCHEDULE', 'IMAGE', 'ACTIVE', 'NEXT RUN', 'LAST RUN'];
const jobWideColumns = [...jobColumns, 'CONCURRENCY', 'GENERATION'];

export function jobRow(job: JobObject, now: number, wide = false): string[] {
  const last = job.status?.lastRuns?.[0];
  const row = [
    job.status?.deleting ? `${job.name} (deleting)` : job.name,
    dash(job.spec.schedule),
    dash(job.spec.image),
    dash(job.status?.activeRuns),
    upcoming(job.status?.nextRunAt, now),
    last ? `${last.status} ${relative(last.startedAt ?? last.tick, now)}` : '-',
  ];
  return wide ? [...row, dash(job.spec.concurrencyPolicy), String(job.generation)] : row;
}

export function jobHeaders(wide: boolean): string[] {
  return wide ? jobWideColumns : jobColumns;
}

export function jobsTable(jobs: readonly JobObject[], now: number, wide = false): string {
  if (jobs.length === 0) return 'No jobs.';
  return renderTable(jobHeaders(wide), jobs.map((job) => jobRow(job, now, wide)));
}

export function eventsTable(events: readonly ServiceEvent[], now: number): string {
  if (events.length === 0) return 'No events.';
  return renderTable(
    ['AGE', 'TYPE', 'MESSAGE'],
    events.map((event) => [age(event.time, now), dash(event.type), dash(event.message)]),
  );
}

export function describeService(service: ServiceObject, events: readonly ServiceEvent[], paint: Paint, now: number): string {
  const status = service.status ?? {};
  const counts = status.counts ?? {};
  const lines = [
    `${paint('bold', 'Name:')}                ${service.name}`,
    `${paint('bold', 'Generation:')}          ${service.generation}`,
    `${paint('bold', 'Phase:')}               ${paintPhase(paint, status.phase)}`,
    `${paint('bold', 'Observed generation:')} ${dash(status.observedGeneration)}`,
    `${paint('bold', 'Revision:')}            ${dash(status.revision)} (stable ${dash(status.stableRevision)})`,
    `${paint('bold', 'Tasks:')}               ${dash(counts.desired)} desired, ${dash(counts.running)} running, ` +
      `${dash(counts.healthy)} healthy, ${dash(counts.updated)} updated, ${dash(counts.available)} available`,
    `${paint('bold', 'Message:')}             ${dash(status.message)}`,
  ];
  if (status.conditions !== undefined) lines.push(paint('bold', 'Conditions:'), indent(stringify(status.conditions)));
  lines.push(paint('bold', 'Spec:'), indent(stringify(service.spec)));
  lines.push(paint('bold', 'Events:'), indent(eventsTable(events, now)));
  return lines.join('\n');
}

/**
 * A next run as the jobs table shows it: `in 4m`, or `now` once the moment has come (the
 * server never answers a past one, but this machine's clock may run ahead of it).
 */
function upcoming(iso: string | undefined, now: number): string {
  return iso !== undefined && Date.parse(iso) <= now ? 'now' : relative(iso, now);
}

/** Seconds with up to three decimals, as lateness and durations are measured: `0.25s`. */
function seconds(value: number | undefined): string {
  return value === undefined ? '-' : `${Math.round(value * 1000) / 1000}s`;
}

export function describeJob(job: JobObject, now: number): string {
  const runs = job.status?.lastRuns ?? [];
  const runsTable = runs.length
    ? renderTable(
        ['TICK', 'STATUS', 'LATE', 'EXIT', 'DURATION', 'REASON'],
        runs.map((run) => [
          run.tick,
          run.status,
          seconds(run.latenessSeconds),
          dash(run.exitCode),
          seconds(run.durationSeconds),
          dash(run.stoppedReason),
        ]),
      )
    : 'No runs yet.';
  const timeZone = job.status?.timeZone ?? (job.spec as { timeZone?: string }).timeZone ?? 'UTC';
  return [
    `Name:        ${job.name}${job.status?.deleting ? ' (deleting)' : ''}`,
    `Generation:  ${job.generation}`,
    `Schedule:    ${dash((job.spec as { schedule?: string }).schedule)} (${timeZone})`,
    `Next run:    ${dash(job.status?.nextRunAt)} (${upcoming(job.status?.nextRunAt, now)})`,
    `Active runs: ${dash(job.status?.activeRuns)}`,
    'Spec:',
    indent(stringify(job.spec)),
    'Runs:',
    indent(runsTable),
  ].join('\n');
}

export function consumerList(consumers: readonly unknown[] | undefined): string {
  const names = (consumers ?? []).map((consumer) => (typeof consumer === 'string' ? consumer : inlineValue(consumer)));
  return names.length ? names.join(', ') : 'none';
}

export function describeSecret(secret: SecretInfo, now: number): string {
  const rotation = secret.rotationEnabled === undefined ? '-' : secret.rotationEnabled ? 'enabled' : 'disabled';
  return [
    `Name:          ${secret.name}`,
    `ARN:           ${dash(secret.arn)}`,
    `Rotation:      ${rotation}`,
    `Last rotated:  ${dash(secret.lastRotatedAt)} (${relative(secret.lastRotatedAt, now)})`,
    `Next rotation: ${secret.nextRotationAt ? `${secret.nextRotationAt} (${relative(secret.nextRotationAt, now)})` : 'none (no rotation schedule)'}`,
    `Consumers:     ${consumerList(secret.consumers)}`,
  ].join('\n');
}

export function diffLines(lines: readonly DiffLine[], paint: Paint): string {
  return lines
    .map((line) => paint(line.op === '+' ? 'green' : 'red', `  ${line.op} ${line.path}: ${inlineValue(line.value)}`))
    .join('\n');
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
