import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CorralFunction } from '../../lib/infra/corral-function.js';
import { functionEntry } from '../../lib/infra/project-paths.js';
import { lambdaLikeEnvironment } from '../support/lambda-environment.js';

/** Synthesizes one CorralFunction for functions/api, bundling for real; returns its function resource and bundle path. */
function synthApi(outdir: string, traceAwsCalls?: boolean) {
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bundle');
  new CorralFunction(stack, 'Api', {
    name: 'api',
    entry: functionEntry('api'),
    description: 'bundling probe',
    memorySize: 512,
    timeout: Duration.seconds(10),
    logs: { retention: RetentionDays.ONE_DAY, removalPolicy: RemovalPolicy.DESTROY },
    ...(traceAwsCalls === undefined ? {} : { traceAwsCalls }),
  });
  const assembly = app.synth();
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
  const s3Key = fn?.['Properties'].Code.S3Key as string;
  return { fn, bundle: path.join(assembly.directory, `asset.${s3Key.replace(/\.zip$/, '')}`, 'index.mjs') };
}

/** The X-Ray SDK's own name for itself (aws-xray-sdk-core/dist/lib/aws-xray.js). */
const xraySdkMarker = 'X-Ray for Node.js';

describe('Lambda bundling', () => {
  it('bundles functions/api with the local esbuild into a valid ESM module exporting handler', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'corral-bundle-'));
    try {
      const { fn, bundle } = synthApi(outdir);
      expect(fn?.['Properties'].Handler).toBe('index.handler');
      expect(fn?.['Properties'].Environment.Variables.CORRAL_TRACE_AWS_CALLS).toBe('false');
      expect(fs.existsSync(bundle)).toBe(true);
      expect(fs.existsSync(`${bundle}.map`)).toBe(true);
      // Mappings for --enable-source-maps, not the sources' text, which Node would parse at every cold start.
      const map = JSON.parse(fs.readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[]; mappings: string; sourcesContent?: unknown };
      expect(map.sources.some((s) => s.endsWith('functions/api/index.ts'))).toBe(true);
      expect(map.mappings.length).toBeGreaterThan(0);
      expect(map.sourcesContent).toBeUndefined();

      const code = fs.readFileSync(bundle, 'utf8');
      expect(code).not.toContain(xraySdkMarker);
      expect(code.startsWith("import { createRequire as __corralCreateRequire } from 'node:module';")).toBe(true);
      expect(code).toMatch(/export\s*\{[^}]*\bhandler\b[^}]*\}/);
      // `node --check` parses an .mjs file as an ES module: any CommonJS-only syntax fails here.
      const check = spawnSync(process.execPath, ['--check', bundle], { encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);

      // Loading it as Lambda's cold start does catches CommonJS `require` calls the shim misses.
      const load = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', `const m = await import(${JSON.stringify(bundle)}); console.log(typeof m.handler);`],
        { encoding: 'utf8', env: { ...lambdaLikeEnvironment, PATH: process.env['PATH'] } },
      );
      expect(load.stderr).toBe('');
      expect(load.stdout.trim()).toBe('function');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('with traceAwsCalls, bundles the X-Ray SDK and loads it on import, as Lambda will', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'corral-bundle-'));
    try {
      const { fn, bundle } = synthApi(outdir, true);
      expect(fn?.['Properties'].Environment.Variables.CORRAL_TRACE_AWS_CALLS).toBe('true');
      expect(fs.readFileSync(bundle, 'utf8')).toContain(xraySdkMarker);
      // Powertools Tracer sets this when its module loads (and the X-Ray SDK with it).
      const load = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', `const m = await import(${JSON.stringify(bundle)}); console.log(typeof m.handler, process.env.AWS_XRAY_CONTEXT_MISSING);`],
        { encoding: 'utf8', env: { ...lambdaLikeEnvironment, CORRAL_TRACE_AWS_CALLS: 'true', PATH: process.env['PATH'] } },
      );
      expect(load.stderr).toBe('');
      expect(load.stdout.trim()).toBe('function IGNORE_ERROR');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
