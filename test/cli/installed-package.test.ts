import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { packRepository } from '../support/packed-package.js';
import { REPO_ROOT } from './run-cli.js';

/**
 * `corral` as a user installs it: the packed package (`npm pack` builds dist/ in its prepack)
 * unpacked into an empty folder's node_modules with its bin linked as npm links it, the
 * dependencies linked from this repository's node_modules (so no registry is needed), and run
 * through its own `#!/usr/bin/env node` line with Node ≥ 22 first on PATH.
 */
let work: string;
let bin: string;
let tarball: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'corral-installed-'));
  tarball = packRepository(work);
  const modules = path.join(work, 'folder', 'node_modules');
  const installed = path.join(modules, 'corral');
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, 'node_modules'))) {
    if (entry === 'corral' || entry.startsWith('.')) continue;
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', entry), path.join(modules, entry));
  }
  fs.mkdirSync(path.join(modules, '.bin'));
  bin = path.join(modules, '.bin', 'corral');
  fs.symlinkSync(path.join('..', 'corral', packageJson.bin.corral), bin);
  fs.chmodSync(path.join(installed, packageJson.bin.corral), 0o755);
}, 240_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(bin, args, {
      cwd: path.join(work, 'folder'),
      // Only Node (24, the one running the tests) on PATH besides the system's: no tsx, no repository.
      env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: work },
      timeout: 30_000,
    }, (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
  });
}

describe('the packed package', () => {
  it('ships compiled JavaScript with a plain node shebang, and no TypeScript sources', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files).toContain(`package/${packageJson.bin.corral}`);
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(fs.readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(packageJson.engines.node).toBe('>=22');
  });

  it('runs corral --version, completion and a command from an empty folder', async () => {
    const [version, completion, refused] = await Promise.all([
      run(['--version']),
      run(['completion', 'bash']),
      run(['get', '--endpoint', 'http://127.0.0.1:9']),
    ]);
    expect(version).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
    expect(completion.stdout).toContain('complete -F _corral corral');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('cannot reach the Corral API at http://127.0.0.1:9: ECONNREFUSED');
  });
});
