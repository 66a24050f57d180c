import { describe, expect, it } from 'vitest';
import { ManifestError } from '../../lib/cli/errors.js';
import { parseManifest } from '../../lib/cli/manifest.js';

describe('parseManifest', () => {
  it('reads several YAML documents separated by ---', () => {
    const text = `kind: Service
name: web
spec: {image: "nginx:1.27", replicas: 2}
---
kind: Job
name: nightly
spec:
  image: busybox
  schedule: cron(0 3 * * ? *)
`;
    expect(parseManifest(text, 'f.yaml')).toEqual([
      { kind: 'Service', name: 'web', spec: { image: 'nginx:1.27', replicas: 2 } },
      { kind: 'Job', name: 'nightly', spec: { image: 'busybox', schedule: 'cron(0 3 * * ? *)' } },
    ]);
  });

  it('reads JSON, as one object or a top-level list', () => {
    const one = { kind: 'Service', name: 'api', spec: { image: 'a', replicas: '3' } };
    expect(parseManifest(JSON.stringify(one), 'f.json')).toEqual([one]);
    const list = [one, { ...one, name: 'worker' }];
    expect(parseManifest(JSON.stringify(list), 'f.json').map((d) => d.name)).toEqual(['api', 'worker']);
  });

  it('keeps the spec exactly as written, for the API to judge', () => {
    const [document] = parseManifest('kind: Service\nname: web\nspec: {replicas: -1, bogus: true}\n', 'f.yaml');
    expect(document.spec).toEqual({ replicas: -1, bogus: true });
  });

  it('reads kind case-blind, and suggests the kind a typo meant', () => {
    expect(parseManifest('kind: service\nname: web\nspec: {}\n', 'f')[0].kind).toBe('Service');
    expect(parseManifest('kind: JOB\nname: n\nspec: {}\n', 'f')[0].kind).toBe('Job');
    expect(() => parseManifest('kind: Servcie\nname: web\nspec: {}\n', 'f')).toThrow('(got "Servcie"); did you mean Service?');
  });

  it('lets jobs apply omit kind', () => {
    expect(parseManifest('name: n\nspec: {image: x}\n', 'f', 'Job')[0].kind).toBe('Job');
  });

  it.each([
    ['name: web\nspec: {}\n', /item 1: kind must be Service or Job/],
    ['kind: Pod\nname: web\nspec: {}\n', /kind must be Service or Job \(got "Pod"\)/],
    ['kind: Service\nspec: {}\n', /name must be a non-empty string/],
    ['kind: Service\nname: web\n', /spec must be an object/],
    ['kind: Service\nname: web\nimage: x\nspec: {}\n', /unknown top-level field image/],
    ['kind: Service\nname: web\nspec: {}\n---\nkind: Service\nname: web\nspec: {}\n', /service\/web appears twice/i],
    ['kind: Service\nname: [web\n', /document 1/],
    ['', /no documents/],
  ])('rejects %j', (text, message) => {
    expect(() => parseManifest(text, 'f.yaml')).toThrow(ManifestError);
    expect(() => parseManifest(text, 'f.yaml')).toThrow(message);
  });
});
