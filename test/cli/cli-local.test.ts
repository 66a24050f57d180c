import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parse } from 'yaml';
import { startLocalMode, type LocalMode } from './local-mode.js';
import { runCorral } from './run-cli.js';

/** The CLI as a user runs it, against the real local mode (API, reconciler, simulated ECS). */

let local: LocalMode;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  local = await startLocalMode();
  dir = await mkdtemp(join(tmpdir(), 'corral-cli-'));
  env = { CORRAL_ENDPOINT: local.apiUrl, HOME: dir };
});
afterAll(() => local?.stop());

const fast = { minHealthySeconds: 0 };

function servicesYaml(webImage: string): string {
  return `kind: Service
name: web
spec:
  image: "${webImage}"
  replicas: 2
  rollout: {minHealthySeconds: 0}
---
kind: Service
name: worker
spec:
  image: busybox:1.36
  replicas: 1
  command: [sleep, infinity]
  rollout: {minHealthySeconds: 0}
`;
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function servicesNow(): Promise<Array<{ name: string; generation: number; spec: Record<string, unknown>; status: Record<string, unknown> }>> {
  const run = await runCorral(['get', 'services', '-o', 'json'], env);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout).services;
}

async function untilGone(name: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const response = await fetch(`${local.apiUrl}/services/${name}`);
    if (response.status === 404) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} was never removed`);
}

describe('corral against local mode', () => {
  it('--dry-run shows what would be created and changes nothing', async () => {
    const path = await file('services.yaml', servicesYaml('nginx:1.27'));
    const run = await runCorral(['apply', '-f', path, '--dry-run'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('service/web created (dry run)');
    expect(run.stdout).toContain('+ image: "nginx:1.27"');
    expect(run.stdout).toContain('service/worker created (dry run)');
    expect(await servicesNow()).toEqual([]);
  });

  it('applies two services, then shows the second apply as unchanged', async () => {
    const path = await file('services.yaml', servicesYaml('nginx:1.27'));
    const first = await runCorral(['apply', '-f', path], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/service\/web created \(generation 1\)/);
    expect(first.stdout).toMatch(/service\/worker created \(generation 1\)/);
    expect(first.stdout).toContain('+ replicas: 2');

    const second = await runCorral(['apply', '-f', path], env);
    expect(second.code).toBe(0);
    expect(second.stdout.trim().split('\n')).toEqual(['service/web unchanged', 'service/worker unchanged']);
  });

  it('get lists both, as a table, JSON and YAML', async () => {
    const table = await runCorral(['get'], env);
    expect(table.code).toBe(0);
    const [header, ...rows] = table.stdout.trim().split('\n');
    expect(header).toMatch(/^NAME\s+PHASE\s+DESIRED\s+UPDATED\s+AVAILABLE\s+REVISION\s+IMAGE$/);
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(['web', 'worker']);
    expect(rows[0]).toContain('nginx:1.27');

    expect((await servicesNow()).map((service) => service.name)).toEqual(['web', 'worker']);
    const yaml = await runCorral(['get', 'web', '-o', 'yaml'], env);
    expect(parse(yaml.stdout)).toMatchObject({ name: 'web', generation: 1, spec: { image: 'nginx:1.27', replicas: 2 } });
  });

  it('rollout status waits until both are Available', async () => {
    for (const name of ['web', 'worker']) {
      const run = await runCorral(['rollout', 'status', name, '--timeout', '60s', '--interval', '200ms'], env);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`service/${name} rolled out: revision 1 available`);
      expect(run.stdout).not.toContain('\u001b['); // not a terminal: no colors, no redraws
    }
  });

  it('describe shows spec, status and recent events', async () => {
    const run = await runCorral(['describe', 'web'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Name:\s+web/);
    expect(run.stdout).toMatch(/Phase:\s+Available/);
    expect(run.stdout).toMatch(/Tasks:\s+2 desired, 2 running/);
    expect(run.stdout).toMatch(/Spec:\n(.*\n)*\s+image: nginx:1.27/);
    expect(run.stdout).toMatch(/Events:\n\s+AGE\s+TYPE\s+MESSAGE\n/);
    const events = await runCorral(['events', 'web', '-o', 'json'], env);
    expect(JSON.parse(events.stdout).events.length).toBeGreaterThan(0);
  });

  it('scale changes replicas and the rollout settles at the new count', async () => {
    const run = await runCorral(['scale', 'web', '3'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('service/web scaled to 3');
    const status = await runCorral(['rollout', 'status', 'web', '--timeout', '60s', '--interval', '200ms'], env);
    expect(status.code).toBe(0);
    const web = (await servicesNow()).find((service) => service.name === 'web');
    expect(web?.spec.replicas).toBe(3);
    expect(web?.status.counts).toMatchObject({ desired: 3, available: 3 });
  });

  it('a new image shows as a diff, rolls out as revision 2, and undo brings revision 1 back', async () => {
    const path = await file('services-v2.yaml', servicesYaml('nginx:1.28'));
    const apply = await runCorral(['apply', '-f', path], env);
    expect(apply.code).toBe(0);
    const lines = apply.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^service\/web changed \(generation \d+\)$/);
    expect(lines).toContain('  - image: "nginx:1.27"');
    expect(lines).toContain('  + image: "nginx:1.28"');
    // The file still says 2 replicas while `scale` made it 3: apply shows that it puts it back.
    expect(lines).toContain('  - replicas: 3');
    expect(lines).toContain('  + replicas: 2');
    expect(lines).toContain('service/worker unchanged');

    const rolled = await runCorral(['rollout', 'status', 'web', '--timeout', '60s', '--interval', '200ms'], env);
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toContain('revision 2 available');

    const undo = await runCorral(['rollout', 'undo', 'web'], env);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toContain('service/web: Rolling back from revision 2 to revision 1');
    const web = (await servicesNow()).find((service) => service.name === 'web');
    expect(web?.spec.image).toBe('nginx:1.27');
    expect(web?.status.revision).toBe(1);
    const back = await runCorral(['rollout', 'status', 'web', '--timeout', '60s', '--interval', '200ms'], env);
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('revision 1 available');
  });

  it('rollout status exits 2 when a rollout fails', async () => {
    // Local mode's control surface: tasks of this image fail to start, as with a bad image tag.
    const rule = await fetch(`${local.awsUrl}/_corral/images`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ image: 'nginx:no-such-tag', behavior: 'pull-error' }),
    });
    expect(rule.ok).toBe(true);
    // A surge of 3 starts three new tasks at once, so the circuit breaker (3 failures) trips in
    // one round instead of waiting out the restart backoff between rounds.
    const path = await file(
      'web-bad-tag.yaml',
      'kind: Service\nname: web\nspec: {image: "nginx:no-such-tag", replicas: 2, rollout: {minHealthySeconds: 0, maxSurge: 3}}\n',
    );
    expect((await runCorral(['apply', '-f', path], env)).code).toBe(0);
    const run = await runCorral(['rollout', 'status', 'web', '--timeout', '60s', '--interval', '200ms'], env);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/service\/web rollout (Failed|RolledBack): .+/);
  });

  it('delete removes a service once its tasks are stopped', async () => {
    const run = await runCorral(['delete', 'worker'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('service/worker deleted');
    await untilGone('worker');
    const get = await runCorral(['get', 'worker'], env);
    expect(get.code).toBe(1);
    expect(get.stderr).toContain('HTTP 404');
  });

  it('a bad file gets the API field errors, exit 1, and is not stored', async () => {
    const path = await file(
      'bad.json',
      JSON.stringify({ kind: 'Service', name: 'broken', spec: { image: 'nginx:1.27', replicas: -1, bogus: true, rollout: fast } }),
    );
    const run = await runCorral(['apply', '-f', path], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('service/broken rejected');
    expect(run.stderr).toMatch(/^\s+replicas: .+$/m);
    expect(run.stderr).toMatch(/^\s+bogus: .+$/m);
    expect((await servicesNow()).map((service) => service.name)).not.toContain('broken');

    const dry = await runCorral(['apply', '-f', path, '--dry-run'], env);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toMatch(/^\s+replicas: .+$/m);
  });

  it('a file that is not a manifest is refused before anything is sent', async () => {
    const path = await file('notes.yaml', 'kind: Pod\nname: x\nspec: {}\n');
    const run = await runCorral(['apply', '-f', path], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('kind must be Service or Job (got "Pod")');
  });

  it('secrets get shows rotation facts and never the value', async () => {
    const secrets = new SecretsManagerClient({
      endpoint: local.awsUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await secrets.send(new CreateSecretCommand({ Name: 'cli-db-password', SecretString: 'hunter2-do-not-print', Tags: [{ Key: 'corral:managed', Value: 'true' }] }));
    secrets.destroy();
    const run = await runCorral(['secrets', 'get', 'cli-db-password'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Name:\s+cli-db-password/);
    expect(run.stdout).toMatch(/Rotation:\s+disabled/);
    expect(run.stdout).toMatch(/Consumers:\s+none/);
    const json = await runCorral(['secrets', 'get', 'cli-db-password', '-o', 'json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'cli-db-password', consumers: [] });
    expect(run.stdout + json.stdout).not.toContain('hunter2');
  });

  it('jobs apply (kind may be left out), get, describe and delete a job', async () => {
    const path = await file('jobs.yaml', 'name: report\nspec: {image: "reports:2", command: [make, report], schedule: "rate(1 hour)"}\n');
    const apply = await runCorral(['jobs', 'apply', '-f', path], env);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('job/report created (generation 1)');
    expect(apply.stdout).toContain('+ schedule: "rate(1 hour)"');
    expect((await runCorral(['jobs', 'apply', '-f', path], env)).stdout.trim()).toBe('job/report unchanged');

    const list = await runCorral(['get', 'jobs'], env);
    expect(list.stdout).toMatch(/^NAME\s+SCHEDULE\s+IMAGE\s+ACTIVE\s+NEXT RUN\s+LAST RUN$/m);
    expect(list.stdout).toMatch(/^report\s+rate\(1 hour\)\s+reports:2\s+0\s+in \d+m\s+-$/m);
    const described = await runCorral(['describe', 'job', 'report'], env);
    expect(described.stdout).toMatch(/Next run:\s+\S+Z \(in \d+m\)/);
    expect(described.stdout).toContain('No runs yet.');

    const removed = await runCorral(['jobs', 'delete', 'report'], env);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('job/report deleted');
    const after = JSON.parse((await runCorral(['jobs', 'get', 'report', '-o', 'json'], env)).stdout);
    expect(after.status.deleting).toBe(true);
  });
});
