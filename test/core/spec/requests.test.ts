import { describe, expect, it } from 'vitest';
import { validateRollbackRequest, validateScaleRequest } from '../../../lib/core/spec/index.js';

describe('validateScaleRequest', () => {
  it.each([0, 1, 1000])('accepts replicas %i', (replicas) => {
    expect(validateScaleRequest({ replicas })).toEqual({ ok: true, replicas });
  });

  it.each([
    [{}, 'replicas', /is required/],
    [{ replicas: -1 }, 'replicas', /0 to 1000/],
    [{ replicas: '3' }, 'replicas', /integer/],
    [{ replicas: 2.5 }, 'replicas', /integer/],
    [{ replicas: 3, image: 'x' }, 'image', /not a known field/],
    [null, '', /JSON object/],
    [undefined, '', /JSON object/],
    [[3], '', /JSON object/],
  ])('rejects %j', (input, field, message) => {
    const result = validateScaleRequest(input);
    if (result.ok) throw new Error('expected errors');
    expect(result.errors.find((e) => e.field === field)?.message).toMatch(message);
  });
});

describe('validateRollbackRequest', () => {
  it('takes no body or {} as "the previous stable revision"', () => {
    expect(validateRollbackRequest(undefined)).toEqual({ ok: true });
    expect(validateRollbackRequest({})).toEqual({ ok: true });
  });

  it('takes a given revision', () => {
    expect(validateRollbackRequest({ revision: 4 })).toEqual({ ok: true, revision: 4 });
  });

  it.each([
    [{ revision: 0 }, 'revision', /positive integer/],
    [{ revision: -2 }, 'revision', /positive integer/],
    [{ revision: '4' }, 'revision', /positive integer/],
    [{ revision: 1.5 }, 'revision', /positive integer/],
    [{ rev: 1 }, 'rev', /not a known field/],
    [null, '', /JSON object/],
    ['4', '', /JSON object/],
  ])('rejects %j', (input, field, message) => {
    const result = validateRollbackRequest(input);
    if (result.ok) throw new Error('expected errors');
    expect(result.errors.find((e) => e.field === field)?.message).toMatch(message);
  });
});
