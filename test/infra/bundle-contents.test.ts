import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { functionEntry } from '../../lib/infra/project-paths.js';
import { bundle, packagesOf } from '../support/bundles.js';

const outdir = mkdtempSync(path.join(os.tmpdir(), 'corral-bundle-contents-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const clientPackages = ['client-dynamodb', 'client-ecs', 'client-secrets-manager', 'client-sqs'].map((c) => `@aws-sdk/${c}`);

/** Each function carries only the SDK clients it calls, and no schema compiler. */
describe.each([
  ['api', ['@aws-sdk/client-dynamodb', '@aws-sdk/client-secrets-manager']],
  ['reconciler', ['@aws-sdk/client-dynamodb', '@aws-sdk/client-ecs', '@aws-sdk/client-sqs']],
  ['dispatcher', ['@aws-sdk/client-dynamodb', '@aws-sdk/client-ecs', '@aws-sdk/client-sqs']],
  ['rotation', ['@aws-sdk/client-dynamodb', '@aws-sdk/client-secrets-manager']],
])('the %s bundle', (name, clients) => {
  it(`carries ${clients.join(', ')} and no Ajv`, async () => {
    const packages = packagesOf((await bundle(functionEntry(name), outdir, name)).metafile);
    expect(clientPackages.filter((p) => packages[p] !== undefined).sort()).toEqual([...clients].sort());
    expect(Object.keys(packages).filter((p) => p === 'ajv' || p === 'fast-uri')).toEqual([]);
  });

  it('carries the X-Ray SDK only with traceAwsCalls', async () => {
    const untraced = packagesOf((await bundle(functionEntry(name), outdir, name)).metafile);
    const traced = packagesOf((await bundle(functionEntry(name), outdir, `${name}-traced`, { traceAwsCalls: true })).metafile);
    // The handlers' captureLambdaHandler middleware is Powertools Tracer's too, but needs no X-Ray SDK.
    const xray = (packages: Record<string, number>) => ['aws-xray-sdk-core', 'cls-hooked'].filter((p) => packages[p] !== undefined);
    expect(xray(untraced)).toEqual([]);
    expect(xray(traced)).toEqual(['aws-xray-sdk-core', 'cls-hooked']);
  });
});
