import { readFileSync } from 'node:fs';

/**
 * The version of the installed package: the nearest package.json named "corral" above this
 * file, whether it runs from the repository (lib/cli/) or compiled (dist/lib/cli/).
 */
export function cliVersion(): string {
  for (let dir = new URL('.', import.meta.url); dir.pathname !== '/'; dir = new URL('..', dir)) {
    try {
      const manifest = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'corral' && manifest.version) return manifest.version;
    } catch {
      // No package.json here (or not ours): look one level up.
    }
  }
  return 'unknown';
}
