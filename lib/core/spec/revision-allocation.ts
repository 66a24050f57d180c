import type { ServiceSpec } from './service-spec.js';
import { canonicalJson, templateHash, templateOf, type TaskTemplate } from './template.js';

/** The revision bookkeeping of a service record. */
export interface RevisionPointers {
  /** The revision the spec asks for. */
  revision: number;
  /** The highest revision number ever allocated. */
  latestRevision: number;
  /** The revision the spec pointed at before the last change of revision (for an undo). */
  previousRevision?: number;
}

/** A revision record to create beside the spec. */
export interface NewRevision {
  revision: number;
  template: TaskTemplate;
  templateHash: string;
  reason: string;
  trigger?: string;
}

/** What a change does to the revisions: new pointers, and the record to write when it allocated one. */
export interface RevisionAllocation extends RevisionPointers {
  newRevision?: NewRevision;
}

/**
 * What a PUT of `spec` does. `current` is the stored record (absent: the service is new) and
 * `currentTemplate` the template of its current revision (absent when that record is missing,
 * which counts as a change). `'unchanged'` when the spec is the same as stored: no new
 * generation, as `kubectl apply` of the same manifest. A spec whose task template is unchanged
 * (replicas, rollout policy) keeps its revision; a changed template allocates the next one.
 *
 *   current revision 3 (latest 5, after a rollback from 5 to 3), image changed → revision 6,
 *   previous 3;  replicas changed → revision 3, latest 5, previous kept.
 */
export function allocateForSpec(
  current: (RevisionPointers & { spec: ServiceSpec }) | undefined,
  currentTemplate: TaskTemplate | undefined,
  spec: ServiceSpec,
): RevisionAllocation | 'unchanged' {
  const template = templateOf(spec);
  const hash = templateHash(template);
  if (!current) return { revision: 1, latestRevision: 1, newRevision: { revision: 1, template, templateHash: hash, reason: 'created' } };
  if (canonicalJson(current.spec) === canonicalJson(spec)) return 'unchanged';
  if (currentTemplate !== undefined && templateHash(currentTemplate) === hash) {
    return pointers(current);
  }
  const revision = current.latestRevision + 1;
  return {
    revision,
    latestRevision: revision,
    previousRevision: current.revision,
    newRevision: { revision, template, templateHash: hash, reason: describeChange(currentTemplate, template) },
  };
}

/**
 * A new revision with the current template, so every task is replaced (a rotated secret: ECS
 * reads secrets only when a task starts).
 */
export function allocateForRestart(current: RevisionPointers & { spec: ServiceSpec }, reason: string, trigger?: string): RevisionAllocation {
  const revision = current.latestRevision + 1;
  const template = templateOf(current.spec);
  return {
    revision,
    latestRevision: revision,
    previousRevision: current.revision,
    newRevision: { revision, template, templateHash: templateHash(template), reason, ...(trigger ? { trigger } : {}) },
  };
}

/**
 * Points the service at an existing revision, copying that revision's task template into the
 * spec (replicas and rollout policy stay as they are).
 */
export function rollbackTo(
  current: RevisionPointers & { spec: ServiceSpec },
  target: { revision: number; template: TaskTemplate },
): RevisionPointers & { spec: ServiceSpec } {
  const { command, port, healthCheck, ...rest } = target.template;
  const spec: ServiceSpec = { ...current.spec, ...rest, command, port, healthCheck } as ServiceSpec;
  return { revision: target.revision, latestRevision: current.latestRevision, previousRevision: current.revision, spec };
}

/** Where an undo goes, and the revisions it passes over because they never became available. */
export interface UndoTarget {
  to: number;
  skipped: number[];
}

/**
 * `rollout undo` without a revision: the previous stable revision. Like `kubectl rollout undo`
 * it goes to the revision the service ran before its last change (`previous`) — when that one
 * was ever fully available. A revision that never was (it failed) is skipped, since going back
 * to it would fail again: then the newest revision before `current` that was ever fully
 * available, else the newest such revision at all. Only when no revision is known to have been
 * available does it fall back to `previous` as it is. Undefined when there is nothing to go to.
 *
 *   1 available, 2 failed, 3 current (previous 2) → to 1, skipped [2]
 *   1 current after a rollback from 3, 3 available (previous 3) → to 3
 */
export function undoTarget(
  current: number,
  previous: number | undefined,
  revisions: readonly { revision: number; available: boolean }[],
): UndoTarget | undefined {
  const others = revisions.filter((r) => r.revision !== current);
  const previousRecord = others.find((r) => r.revision === previous);
  if (previousRecord?.available) return { to: previousRecord.revision, skipped: [] };
  const available = others.filter((r) => r.available).sort((a, b) => b.revision - a.revision);
  const target = available.find((r) => r.revision < current) ?? available[0];
  if (!target) return previousRecord ? { to: previousRecord.revision, skipped: [] } : undefined;
  const skipped = others
    .filter((r) => !r.available && (r.revision === previous || (r.revision > target.revision && r.revision < current)))
    .map((r) => r.revision)
    .sort((a, b) => a - b);
  return { to: target.revision, skipped };
}

/** A short, value-free description of a template change for the revision's reason. */
export function describeChange(before: TaskTemplate | undefined, after: TaskTemplate): string {
  if (!before) return 'template changed';
  const fields = (Object.keys({ ...before, ...after }) as (keyof TaskTemplate)[])
    .filter((field) => canonicalJson(before[field]) !== canonicalJson(after[field]))
    .sort();
  return fields.length > 0 ? `changed ${fields.join(', ')}` : 'template changed';
}

function pointers(current: RevisionPointers): RevisionPointers {
  return {
    revision: current.revision,
    latestRevision: current.latestRevision,
    ...(current.previousRevision !== undefined ? { previousRevision: current.previousRevision } : {}),
  };
}
