import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packRepository } from '../support/packed-package.js';

const repository = path.resolve(import.meta.dirname, '../..');
const example = path.join(repository, 'examples', 'cdk-app');

/**
 * examples/cdk-app as a user has it: the packed package (`npm pack`, which builds dist/ in its
 * prepack) unpacked as node_modules/corral, beside the app's other dependencies. Those are this
 * repository's, linked rather than downloaded, so the test needs no registry.
 */
function installExample(work: string): string {
  const tarball = packRepository(work);
  const app = path.join(work, 'app');
  fs.cpSync(example, app, { recursive: true, filter: (source) => !source.includes('node_modules') && !source.includes('cdk.out') });
  const modules = path.join(app, 'node_modules');
  fs.mkdirSync(path.join(modules, 'corral'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', path.join(modules, 'corral'), '--strip-components=1']);
  for (const entry of fs.readdirSync(path.join(repository, 'node_modules'))) {
    if (entry === 'corral' || entry.startsWith('.')) continue;
    fs.symlinkSync(path.join(repository, 'node_modules', entry), path.join(modules, entry));
  }
  // What `npm install` would leave; CDK's NodejsFunction looks for the app's lock file.
  fs.writeFileSync(path.join(app, 'package-lock.json'), JSON.stringify({ name: 'corral-example-cdk-app', lockfileVersion: 3, packages: {} }));
  return tarball;
}

describe('examples/cdk-app with the packed package', () => {
  let work: string;
  let tarball: string;
  let template: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'corral-example-'));
    tarball = installExample(work);
    const app = path.join(work, 'app');
    // As `cdk synth` runs the app: the output directory and context come from the environment.
    execFileSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: app,
      env: {
        ...process.env,
        CDK_OUTDIR: path.join(app, 'cdk.out'),
        CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [] }),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    template = JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', 'Platform.template.json'), 'utf8'));
  }, 120_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('packs compiled JavaScript with declarations and the Lambda entries, without sources or tests', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        'package/dist/lib/index.js',
        'package/dist/lib/index.d.ts',
        'package/dist/functions/reconciler/index.js',
        'package/LICENSE',
      ]),
    );
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((file) => file.includes('test/'))).toEqual([]);
  });

  it('synthesizes Corral inside the user’s stack, on their VPC and cluster', () => {
    const resources = Object.values(template.Resources);
    const ofType = (type: string) => resources.filter((resource) => resource.Type === type);
    expect(ofType('AWS::EC2::VPC')).toHaveLength(1);
    expect(ofType('AWS::ECS::Cluster')).toHaveLength(1);
    const corralFunctions = ofType('AWS::Lambda::Function').filter((fn) => String(fn.Properties?.['Description']).startsWith('Corral '));
    expect(corralFunctions).toHaveLength(4);
    expect(ofType('AWS::DynamoDB::Table')).toHaveLength(1);
    const reconciler = corralFunctions.find((fn) => String(fn.Properties?.['Description']).includes('reconciler'));
    expect(reconciler?.Properties).toMatchObject({ ReservedConcurrentExecutions: 20 });
    expect(JSON.stringify(reconciler?.Properties?.['Environment'])).toContain('VpcPrivateSubnet1Subnet');
  });

  it('comes with its alarms, their topic with the team’s address subscribed, and the dashboard', () => {
    const resources = Object.values(template.Resources);
    const ofType = (type: string) => resources.filter((resource) => resource.Type === type);
    expect(ofType('AWS::CloudWatch::Alarm')).toHaveLength(14);
    expect(ofType('AWS::CloudWatch::Dashboard')).toHaveLength(1);
    expect(ofType('AWS::SNS::Subscription')).toEqual([
      expect.objectContaining({ Properties: expect.objectContaining({ Protocol: 'email', Endpoint: 'platform-oncall@example.com' }) }),
    ]);
  });
});
