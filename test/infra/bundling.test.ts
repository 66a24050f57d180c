import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CorralFunction } from '../../lib/infra/corral-function.js';
import { functionEntry } from '../../lib/infra/project-paths.js';

/** What the stack sets, with placeholder values, plus what the Lambda runtime provides. */
const lambdaLikeEnvironment = {
  AWS_REGION: 'eu-west-1',
  AWS_LAMBDA_FUNCTION_NAME: 'corral-api',
  TABLE_NAME: 'corral',
  CLUSTER_ARN: 'arn:aws:ecs:eu-west-1:123456789012:cluster/corral',
  REQUEUE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/requeue',
  SUBNET_IDS: 'subnet-1,subnet-2',
  SECURITY_GROUP_IDS: 'sg-1',
  ASSIGN_PUBLIC_IP: 'ENABLED',
  EXECUTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/execution',
  TASK_ROLE_ARN: 'arn:aws:iam::123456789012:role/task',
  LOG_GROUP_PREFIX: '/corral/services/',
  ROTATION_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:rotation',
  POWERTOOLS_SERVICE_NAME: 'corral-api',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

describe('Lambda bundling', () => {
  it('bundles functions/api with the local esbuild into a valid ESM module exporting handler', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'corral-bundle-'));
    try {
      const app = new App({ outdir });
      const stack = new Stack(app, 'Bundle');
      new CorralFunction(stack, 'Api', {
        name: 'api',
        entry: functionEntry('api'),
        description: 'bundling probe',
        memorySize: 512,
        timeout: Duration.seconds(10),
      });
      const assembly = app.synth();

      const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
      const s3Key = fn?.['Properties'].Code.S3Key as string;
      const assetDir = path.join(assembly.directory, `asset.${s3Key.replace(/\.zip$/, '')}`);
      const bundle = path.join(assetDir, 'index.mjs');
      expect(fn?.['Properties'].Handler).toBe('index.handler');
      expect(fs.existsSync(bundle)).toBe(true);
      expect(fs.existsSync(`${bundle}.map`)).toBe(true);

      const code = fs.readFileSync(bundle, 'utf8');
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
});
