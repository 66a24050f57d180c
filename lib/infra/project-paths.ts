import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root, found from this file so synth works from any working directory. */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The Lambda entry of a function folder: functions/<name>/index.ts. */
export function functionEntry(name: string): string {
  return path.join(projectRoot, 'functions', name, 'index.ts');
}
