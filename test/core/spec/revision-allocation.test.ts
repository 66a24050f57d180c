import { describe, expect, it } from 'vitest';
import { allocateForRestart, allocateForSpec, describeChange, rollbackTo, templateOf, undoTarget, validateServiceSpec, type ServiceSpec } from '../../../lib/core/spec/index.js';

function spec(input: Record<string, unknown>): ServiceSpec {
  const result = validateServiceSpec({ image: 'nginx:1.27', replicas: 3, ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

const base = spec({});
const stored = (revision: number, latestRevision: number, s = base, previousRevision?: number) => ({
  revision, latestRevision, spec: s, ...(previousRevision !== undefined ? { previousRevision } : {}),
});

describe('allocateForSpec: what a PUT does to the revisions', () => {
  const table: { name: string; current: ReturnType<typeof stored> | undefined; currentTemplate: boolean; next: ServiceSpec; expected: unknown }[] = [
    { name: 'a new service is revision 1', current: undefined, currentTemplate: false, next: base, expected: { revision: 1, latestRevision: 1, newRevision: { revision: 1, reason: 'created' } } },
    { name: 'the same spec is no change at all (no new generation)', current: stored(2, 2), currentTemplate: true, next: base, expected: 'unchanged' },
    { name: 'replicas only keeps the revision', current: stored(2, 2, base, 1), currentTemplate: true, next: spec({ replicas: 5 }), expected: { revision: 2, latestRevision: 2, previousRevision: 1 } },
    { name: 'a new image is the next revision after the latest', current: stored(3, 5), currentTemplate: true, next: spec({ image: 'nginx:1.28' }), expected: { revision: 6, latestRevision: 6, previousRevision: 3, newRevision: { revision: 6, reason: 'changed image' } } },
    { name: 'a missing record of the current revision counts as a change', current: stored(2, 2), currentTemplate: false, next: spec({ replicas: 4 }), expected: { revision: 3, latestRevision: 3, previousRevision: 2, newRevision: { reason: 'template changed' } } },
  ];
  for (const row of table) {
    it(row.name, () => {
      const result = allocateForSpec(row.current, row.currentTemplate ? templateOf(row.current!.spec) : undefined, row.next);
      if (row.expected === 'unchanged') expect(result).toBe('unchanged');
      else expect(result).toMatchObject(row.expected as object);
      if (result !== 'unchanged' && !(row.expected as { newRevision?: unknown }).newRevision) expect(result.newRevision).toBeUndefined();
    });
  }
});

describe('restarts and rollbacks', () => {
  it('a restart is a new revision with the same template, remembering the trigger', () => {
    const restart = allocateForRestart(stored(4, 7), 'secret db rotated', 'rotation:v2');
    expect(restart).toMatchObject({ revision: 8, latestRevision: 8, previousRevision: 4, newRevision: { revision: 8, template: templateOf(base), trigger: 'rotation:v2' } });
  });

  it('a rollback copies the template into the spec and keeps replicas and policy', () => {
    const current = stored(3, 3, spec({ image: 'nginx:bad', replicas: 5 }));
    const back = rollbackTo(current, { revision: 1, template: templateOf(base) });
    expect(back).toMatchObject({ revision: 1, latestRevision: 3, previousRevision: 3 });
    expect(back.spec.image).toBe('nginx:1.27');
    expect(back.spec.replicas).toBe(5);
  });

  it('describes a change by field names, never by values', () => {
    const before = templateOf(base);
    expect(describeChange(before, templateOf(spec({ image: 'x:1', environment: { SECRET: 'value' } })))).toBe('changed environment, image');
    expect(describeChange(undefined, before)).toBe('template changed');
  });
});

describe('undoTarget: the previous stable revision', () => {
  const r = (revision: number, available: boolean) => ({ revision, available });
  const table: { name: string; current: number; previous?: number; revisions: ReturnType<typeof r>[]; expected: unknown }[] = [
    { name: 'the previous revision when it was available', current: 3, previous: 2, revisions: [r(1, true), r(2, true), r(3, true)], expected: { to: 2, skipped: [] } },
    { name: 'skips a previous revision that failed', current: 3, previous: 2, revisions: [r(1, true), r(2, false), r(3, true)], expected: { to: 1, skipped: [2] } },
    { name: 'skips every failed one in between', current: 5, previous: 4, revisions: [r(1, true), r(2, false), r(3, true), r(4, false), r(5, true)], expected: { to: 3, skipped: [4] } },
    { name: 'after a rollback to an old revision, back to the newer one it left', current: 1, previous: 3, revisions: [r(1, true), r(2, true), r(3, true)], expected: { to: 3, skipped: [] } },
    { name: 'nothing known to be available: the previous revision as it is', current: 2, previous: 1, revisions: [r(1, false), r(2, false)], expected: { to: 1, skipped: [] } },
    { name: 'nothing to go to', current: 1, previous: undefined, revisions: [r(1, true)], expected: undefined },
  ];
  for (const row of table) it(row.name, () => expect(undoTarget(row.current, row.previous, row.revisions)).toEqual(row.expected));
});
