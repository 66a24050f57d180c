import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../lib/cli/commands/apply.js';
import type { HttpRequestSpec } from '../../lib/cli/http.js';
import { normalizeSpec } from '../../lib/cli/spec-normalize.js';
import { jsonResponse, scriptedContext } from './scripted-context.js';

async function manifest(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'corral-apply-')), 'm.yaml');
  await writeFile(path, text);
  return path;
}

const webYaml = 'kind: Service\nname: web\nspec: {image: "nginx:2", replicas: 2}\n';

/** A service stored at generation 3 with image nginx:1, as the API stores it (defaults filled). */
function storedWeb() {
  const normalized = normalizeSpec('Service', { image: 'nginx:1', replicas: 2 });
  if (!normalized.ok) throw new Error('fixture spec is invalid');
  return { name: 'web', generation: 3, spec: normalized.spec, status: {} };
}

describe('apply against an existing service', () => {
  it('sends If-Match with the generation it diffed against, and reports a 412 as a rejection', async () => {
    const sent: HttpRequestSpec[] = [];
    const scripted = scriptedContext(async (request) => {
      sent.push(request);
      if (request.method === 'GET') return jsonResponse(200, storedWeb());
      return jsonResponse(412, { error: { code: 'PreconditionFailed', message: 'generation is 4, not 3', details: [] } });
    });
    expect(await applyCommand(scripted.ctx, { file: await manifest(webYaml) })).toBe(1);
    expect(sent.map((request) => `${request.method} ${request.url.pathname}`)).toEqual(['GET /services/web', 'PUT /services/web']);
    expect(sent[1].headers['if-match']).toBe('"3"');
    expect(scripted.warned).toEqual(['service/web rejected: PreconditionFailed: generation is 4, not 3']);
  });

  it('does not write a spec whose only differences are defaults the API fills in', async () => {
    const sent: string[] = [];
    const scripted = scriptedContext(async (request) => {
      sent.push(request.method);
      return jsonResponse(200, storedWeb());
    });
    const sameAsStored = 'kind: Service\nname: web\nspec: {image: "nginx:1", replicas: 2, cpu: 256}\n';
    expect(await applyCommand(scripted.ctx, { file: await manifest(sameAsStored) })).toBe(0);
    expect(sent).toEqual(['GET']);
    expect(scripted.printed).toEqual(['service/web unchanged']);
  });

  it('--dry-run with an invalid spec lists its field errors without sending a write', async () => {
    const sent: string[] = [];
    const scripted = scriptedContext(async (request) => {
      sent.push(request.method);
      return jsonResponse(200, storedWeb());
    });
    const invalid = 'kind: Service\nname: web\nspec: {image: "nginx:1", replicas: 2000, colour: red}\n';
    expect(await applyCommand(scripted.ctx, { file: await manifest(invalid), dryRun: true })).toBe(1);
    expect(sent).toEqual(['GET']);
    expect(scripted.warned[0]).toMatch(/^service\/web rejected: ValidationError: .*nothing sent/);
    expect(scripted.warned[0]).toMatch(/^ {2}replicas: /m);
    expect(scripted.warned[0]).toMatch(/^ {2}colour: /m);
  });
});
