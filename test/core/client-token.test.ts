import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runTaskClientToken, type RunTaskTokenInput } from '../../lib/core/client-token.js';

const taskArn = fc.uuid().map((id) => `arn:aws:ecs:us-east-1:123456789012:task/corral/${id.replaceAll('-', '')}`);

const tokenInput: fc.Arbitrary<RunTaskTokenInput> = fc.record({
  service: fc.string({ minLength: 1, maxLength: 63 }),
  incarnation: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  revision: fc.nat(),
  generation: fc.nat(),
  fleet: fc.uniqueArray(taskArn, { maxLength: 30 }),
  batch: fc.nat({ max: 100 }),
  attempt: fc.nat({ max: 20 }),
});

describe('runTaskClientToken', () => {
  it('fits RunTask: at most 64 characters of [A-Za-z0-9_-]', () => {
    fc.assert(
      fc.property(tokenInput, (input) => {
        expect(runTaskClientToken(input)).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      }),
    );
  });

  it('is the same for a retry that observed the same fleet, in whatever order it was listed', () => {
    fc.assert(
      fc.property(
        tokenInput.chain((input) =>
          fc.tuple(
            fc.constant(input),
            fc.shuffledSubarray([...input.fleet], { minLength: input.fleet.length, maxLength: input.fleet.length }),
          ),
        ),
        ([input, shuffled]) => {
          expect(runTaskClientToken({ ...input, fleet: shuffled })).toBe(runTaskClientToken(input));
        },
      ),
    );
  });

  it('changes when a launched task joins the fleet (the replacement of a crashed task)', () => {
    fc.assert(
      fc.property(tokenInput, taskArn, (input, launched) => {
        fc.pre(!input.fleet.includes(launched));
        expect(runTaskClientToken({ ...input, fleet: [...input.fleet, launched] })).not.toBe(runTaskClientToken(input));
      }),
    );
  });

  it('changes with generation, revision, batch, attempt and service', () => {
    fc.assert(
      fc.property(
        tokenInput,
        fc.constantFrom('generation', 'revision', 'batch', 'attempt'),
        fc.integer({ min: 1, max: 1000 }),
        (input, field, delta) => {
          const changed = { ...input, [field]: (input[field] ?? 0) + delta };
          expect(runTaskClientToken(changed)).not.toBe(runTaskClientToken(input));
        },
      ),
    );
    fc.assert(
      fc.property(tokenInput, fc.string({ minLength: 1 }), (input, other) => {
        fc.pre(other !== input.service);
        expect(runTaskClientToken({ ...input, service: other })).not.toBe(runTaskClientToken(input));
      }),
    );
  });

  it('differs for a service re-created under the same name', () => {
    fc.assert(
      fc.property(tokenInput, fc.date({ noInvalidDate: true }), (input, later) => {
        fc.pre(later.toISOString() !== input.incarnation);
        expect(runTaskClientToken({ ...input, incarnation: later.toISOString() })).not.toBe(runTaskClientToken(input));
      }),
    );
  });

  it('does not confuse field boundaries (service "a" revision 12 vs service "a1" revision 2)', () => {
    const base = { incarnation: '2026-01-01T00:00:00.000Z', generation: 1, fleet: [], batch: 0 };
    expect(runTaskClientToken({ ...base, service: 'a', revision: 12 })).not.toBe(
      runTaskClientToken({ ...base, service: 'a1', revision: 2 }),
    );
  });

  it('treats a missing attempt as attempt 0', () => {
    const input = { service: 'web', incarnation: '2026-01-01T00:00:00.000Z', revision: 1, generation: 4, fleet: ['arn:x'], batch: 0 };
    expect(runTaskClientToken(input)).toBe(runTaskClientToken({ ...input, attempt: 0 }));
  });

  it.each([
    ['revision', -1],
    ['generation', 1.5],
    ['batch', Number.NaN],
    ['attempt', -3],
  ])('rejects %s = %s', (field, value) => {
    const input = { service: 'web', incarnation: 'x', revision: 1, generation: 1, fleet: [], batch: 0, [field]: value };
    expect(() => runTaskClientToken(input)).toThrow(RangeError);
  });
});
