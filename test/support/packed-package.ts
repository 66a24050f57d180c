import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repository = path.resolve(import.meta.dirname, '../..');

/**
 * `npm pack` of this repository into `destination`, returning the tarball's path. Its prepack
 * rebuilds dist/ from scratch, so two test files packing at once would delete each other's
 * build halfway: the pack runs under a lock (flock) on a file beside node_modules.
 */
export function packRepository(destination: string): string {
  execFileSync('flock', [path.join(repository, 'node_modules', '.corral-pack.lock'), 'npm', 'pack', '--silent', '--pack-destination', destination], {
    cwd: repository,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return path.join(destination, fs.readdirSync(destination).find((name) => name.endsWith('.tgz')) as string);
}
