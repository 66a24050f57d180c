import { describe, expect, it } from 'vitest';
import { parseKindAndName } from '../../lib/cli/commands/get.js';
import { UsageError } from '../../lib/cli/errors.js';
import { parseOutputFormat, renderData } from '../../lib/cli/render/format.js';

const list = { services: [{ name: 'api', spec: { image: 'a:1' }, status: { phase: 'Available' } }, { name: 'web', spec: { image: 'w:2' }, status: { phase: 'Failed' } }] };

describe('-o', () => {
  it('takes wide as the table with more columns', () => {
    expect(parseOutputFormat('wide')).toEqual({ format: 'table', wide: true });
    expect(parseOutputFormat('yaml')).toEqual({ format: 'yaml', wide: false });
  });

  it('prints kind/name per object, as kubectl -o name', () => {
    expect(renderData('name', list)).toBe('service/api\nservice/web');
    expect(renderData('name', { jobs: [{ name: 'nightly' }] })).toBe('job/nightly');
    expect(renderData('name', { name: 'nightly', spec: { schedule: 'rate(1 hour)' } })).toBe('job/nightly');
    expect(renderData('name', { results: [{ kind: 'Service', name: 'web' }] })).toBe('service/web');
  });

  it('evaluates JSONPath, in kubectl braces or as plain JSONPath', () => {
    const braces = parseOutputFormat('jsonpath={.services[*].name}');
    expect(braces.format).toBe('jsonpath=$.services[*].name');
    expect(renderData(braces.format as 'json', list)).toBe('api web');
    const filter = parseOutputFormat('jsonpath=$.services[?(@.status.phase=="Failed")].spec');
    expect(renderData(filter.format as 'json', list)).toBe('{"image":"w:2"}');
  });

  it('refuses what it cannot parse before anything is sent', () => {
    expect(() => parseOutputFormat('jsonpath=')).toThrow(UsageError);
    expect(() => parseOutputFormat('jsonpath={[?(}')).toThrow(/cannot parse/);
    expect(() => parseOutputFormat('xml')).toThrow('-o must be table, wide, json, yaml, name or jsonpath=EXPR (got "xml")');
  });
});

describe('kinds on the command line', () => {
  it('are case-blind, and a typo of one is refused with the kind it meant', () => {
    expect(parseKindAndName(['Services', 'web'])).toEqual({ kind: 'services', name: 'web' });
    expect(parseKindAndName(['JOBS'])).toEqual({ kind: 'jobs' });
    expect(() => parseKindAndName(['servcies', 'web'])).toThrow('unknown kind "servcies"; did you mean "services"?');
  });
});
