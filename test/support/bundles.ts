import path from 'node:path';
import { build, type Metafile, type StdinOptions } from 'esbuild';
import { esbuildOptionsFor, type BundleChoices } from '../../lib/infra/bundle-settings.js';
import { infraDefaults } from '../../lib/infra/defaults.js';

/** Bundle bytes per npm package ("own" for Corral's code). */
export function packagesOf(metafile: Metafile): Record<string, number> {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined) ?? Object.values(metafile.outputs)[0];
  const packages: Record<string, number> = {};
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (bytesInOutput === 0) continue;
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? 'own';
    packages[name] = (packages[name] ?? 0) + bytesInOutput;
  }
  return packages;
}

/** Bundles an entry exactly as CorralFunction does (by default, as the stack's defaults do); returns the file and its metafile. */
export async function bundle(
  entry: string | { stdin: StdinOptions },
  outdir: string,
  name: string,
  choices: BundleChoices = { traceAwsCalls: infraDefaults.traceAwsCalls },
): Promise<{ file: string; metafile: Metafile }> {
  const file = path.join(outdir, name, 'index.mjs');
  const result = await build({ ...esbuildOptionsFor(file, choices), ...(typeof entry === 'string' ? { entryPoints: [entry] } : entry) });
  return { file, metafile: result.metafile! };
}
