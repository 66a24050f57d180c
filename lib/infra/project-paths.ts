import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The root of the code this module belongs to, found from this file, so synth works from any
 * working directory and from an installed package: the repository when run from the sources
 * (lib/infra/project-paths.ts), the package's `dist/` when run compiled
 * (node_modules/corral/dist/lib/infra/project-paths.js).
 */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** `.ts` from the sources, `.js` compiled: the Lambda entries sit beside this module's kind. */
const extension = path.extname(fileURLToPath(import.meta.url));

/** The Lambda entry of a function folder: functions/<name>/index.ts (or dist/functions/<name>/index.js). */
export function functionEntry(name: string): string {
  return path.join(projectRoot, 'functions', name, `index${extension}`);
}

/**
 * Where esbuild resolves the entries' dependencies from. In the repository that is its root and
 * lock file; in an installed package it is left to CDK, which takes the lock file of the app
 * being synthesized (found from the working directory), whose node_modules hold Corral's
 * dependencies.
 */
export function bundlingRoot(): { projectRoot?: string; depsLockFilePath?: string } {
  const lockFile = path.join(projectRoot, 'package-lock.json');
  return fs.existsSync(lockFile) ? { projectRoot: projectRoot, depsLockFilePath: lockFile } : {};
}
