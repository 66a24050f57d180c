import { execFile, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { startLocalMode, type LocalMode } from './local-mode.js';
import { REPO_ROOT, runCorral } from './run-cli.js';

/**
 * The kubectl habits of the CLI, as a user meets them: child processes against the real local
 * mode. Independent commands run side by side to keep the file quick.
 */
let local: LocalMode;
let home: string;
let env: Record<string, string>;
const corral = `${JSON.stringify(process.execPath)} --import tsx bin/corral.ts`;

beforeAll(async () => {
  local = await startLocalMode();
  home = await mkdtemp(join(tmpdir(), 'corral-habits-'));
  env = { CORRAL_ENDPOINT: local.apiUrl, HOME: home, AWS_ENDPOINT_URL: local.awsUrl };
  const spec = (image: string, replicas: number) => ({ image, replicas, rollout: { minHealthySeconds: 0 } });
  for (const [name, body] of [['web', spec('nginx:1.27', 2)], ['worker', spec('busybox:1.36', 1)]] as const) {
    const answer = await fetch(`${local.apiUrl}/services/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(answer.status).toBe(201);
  }
  await until(async () => ((await (await fetch(`${local.apiUrl}/services/web`)).json()) as { status: { phase: string } }).status.phase === 'Available');
});
afterAll(() => local?.stop());

async function until(check: () => Promise<boolean>, what = 'condition'): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} never held`);
}

function shell(script: string, extraEnv: Record<string, string> = env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('bash', ['--norc', '--noprofile', '-c', script], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', ...extraEnv }, timeout: 60_000 }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Starts a long-running corral (--watch, --follow) and collects its output until stopped. */
function background(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/corral.ts', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    output: () => stdout,
    errors: () => stderr,
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    }),
  };
}

describe('kubectl habits against local mode', () => {
  it('prints -o wide, -o name, -o jsonpath, --version, and suggests names and says what an AWS port is', async () => {
    const [wide, names, jsonpath, version, typo, awsPort] = await Promise.all([
      runCorral(['get', '-o', 'wide'], env),
      runCorral(['get', 'services', '-o', 'name'], env),
      runCorral(['get', '-o', 'jsonpath={.services[?(@.name=="web")].spec.image}'], env),
      runCorral(['--version'], {}),
      runCorral(['describe', 'wbe'], env),
      runCorral(['get', '--endpoint', local.awsUrl], env),
    ]);
    expect(wide.stdout.split('\n')[0].split(/\s{3,}/)).toEqual(['NAME', 'PHASE', 'DESIRED', 'UPDATED', 'AVAILABLE', 'REVISION', 'STABLE', 'RUNNING', 'HEALTHY', 'IMAGE', 'MESSAGE']);
    expect(wide.stdout).toMatch(/^web\s+Available\s+2\s+2\s+2\s+1\s+1\s+2\s+2\s+nginx:1\.27\s+Revision 1 available/m);
    expect(names).toMatchObject({ code: 0, stdout: 'service/web\nservice/worker\n' });
    expect(jsonpath).toMatchObject({ code: 0, stdout: 'nginx:1.27\n' });
    expect(version).toMatchObject({ code: 0, stdout: `${packageJson.version}\n` });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('NotFound: service wbe not found\ndid you mean service/web?');
    expect(awsPort.code).toBe(1);
    expect(awsPort.stderr).toContain(`${local.awsUrl} is an AWS service endpoint, not the Corral API (it answered UnknownOperationException)`);
  });

  it('get --watch prints a service again when it changes', async () => {
    const watch = background(['get', 'web', '--watch', '--interval', '100ms']);
    try {
      await until(async () => /^web\s+Available\s+2\s/m.test(watch.output()), 'the first table');
      await fetch(`${local.apiUrl}/services/web/scale`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"replicas": 3}' });
      await until(async () => /^web\s+\S+\s+3\s/m.test(watch.output()), 'a line for replicas 3');
    } finally {
      await watch.stop();
    }
    const lines = watch.output().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+PHASE/);
    expect(lines.slice(1).every((line) => line.startsWith('web '))).toBe(true);
    expect(watch.errors()).toBe('');
  });

  it('logs shows the lines of the tasks, and --follow the new ones', async () => {
    const once = await runCorral(['logs', 'web', '--revision', '1'], env);
    expect(once.stderr).toBe('');
    expect(once.stdout).toMatch(/^\[rev1 [0-9a-f]{8}\] container app started from image nginx:1\.27$/m);
    const follow = background(['logs', 'worker', '--follow', '--interval', '100ms']);
    try {
      await until(async () => follow.output().includes('started from image busybox:1.36'), 'the first line');
      await fetch(`${local.apiUrl}/services/worker/scale`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"replicas": 0}' });
      await until(async () => follow.output().includes('received SIGTERM'), 'the stop line');
    } finally {
      await follow.stop();
    }
  });

  it('apply | head -1 exits without a stack trace, and everything is applied', async () => {
    const file = join(home, 'two.yaml');
    await writeFile(file, 'kind: service\nname: alpha\nspec: {image: "nginx:1", replicas: 0}\n---\nkind: Service\nname: beta\nspec: {image: "nginx:1", replicas: 0}\n');
    const run = await shell(`set -o pipefail; ${corral} apply -f ${file} | head -1`);
    expect(run.stdout).toBe('service/alpha created (generation 1)\n');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await fetch(`${local.apiUrl}/services/beta`)).status).toBe(200);
  });

  it('completion bash prints a script bash sources and completes from', async () => {
    const run = await shell(`source <(${corral} completion bash) && COMP_WORDS=(corral rollout un) COMP_CWORD=2 && _corral && echo "\${COMPREPLY[@]}" && COMP_WORDS=(corral -o) COMP_CWORD=2 COMP_WORDS[2]=n && _corral && echo "\${COMPREPLY[@]}"`, {});
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('undo\nname\n');
  });

  it('contexts switch endpoints: use-context changes where the next command goes', async () => {
    const config = join(home, 'contexts.yaml');
    const dead = 'http://127.0.0.1:9';
    await writeFile(config, `contexts:\n  - name: local\n    endpoint: ${local.apiUrl}\n  - name: nowhere\n    endpoint: ${dead}\n`);
    const contextEnv = { HOME: home, CORRAL_CONFIG: config };
    expect((await runCorral(['config', 'use-context', 'nowhere'], contextEnv)).stdout).toBe('Switched to context "nowhere".\n');
    const [refused, explicit] = await Promise.all([runCorral(['get'], contextEnv), runCorral(['--context', 'local', 'get', '-o', 'name'], contextEnv)]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`error: cannot reach the Corral API at ${dead}: ECONNREFUSED (is local mode running? Start it with "npm start" in the Corral repository, or pass --endpoint)\n`);
    expect(explicit.stdout).toContain('service/web\n');
    await runCorral(['config', 'use-context', 'local'], contextEnv);
    expect((await runCorral(['get', 'web', '-o', 'name'], contextEnv)).stdout).toBe('service/web\n');
  });
});
