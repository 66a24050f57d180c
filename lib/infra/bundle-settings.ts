import type { BuildOptions } from 'esbuild';

/**
 * esbuild emits ESM (`index.mjs`); CommonJS dependencies bundled into it still call `require`,
 * which ESM lacks, so the bundle starts by defining one.
 */
export const requireShim = "import { createRequire as __corralCreateRequire } from 'node:module'; const require = __corralCreateRequire(import.meta.url);";

/**
 * How every Lambda is bundled: minified ESM for Node 24 with a source map, the SDK bundled
 * rather than taken from the runtime (so the deployed code runs the SDK version the tests ran).
 * `CorralFunction` hands these to NodejsFunction; the bench and the bundle test hand the same
 * settings to esbuild directly.
 */
export const lambdaBundleSettings = {
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: requireShim,
  minify: true,
  sourceMap: true,
} as const;

/** The esbuild options NodejsFunction derives from `lambdaBundleSettings`; the caller adds the entry. */
export function esbuildOptionsFor(outfile: string): BuildOptions {
  return {
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: lambdaBundleSettings.target,
    mainFields: [...lambdaBundleSettings.mainFields],
    banner: { js: lambdaBundleSettings.banner },
    minify: lambdaBundleSettings.minify,
    sourcemap: lambdaBundleSettings.sourceMap,
    metafile: true,
    logLevel: 'error',
  };
}
