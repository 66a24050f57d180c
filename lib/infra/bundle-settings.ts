import type { BuildOptions } from 'esbuild';
import { traceAwsCallsVariable } from '../observability/trace-aws-calls.js';

/**
 * esbuild emits ESM (`index.mjs`); CommonJS dependencies bundled into it still call `require`,
 * which ESM lacks, so the bundle starts by defining one.
 */
export const requireShim = "import { createRequire as __corralCreateRequire } from 'node:module'; const require = __corralCreateRequire(import.meta.url);";

/** What a function's bundle depends on besides its entry. */
export interface BundleChoices {
  /** The construct's `traceAwsCalls`: whether the bundle carries Powertools Tracer and the X-Ray SDK. */
  readonly traceAwsCalls: boolean;
}

/**
 * How every Lambda is bundled: minified ESM for Node 24, the SDK bundled rather than taken from
 * the runtime (so the deployed code runs the SDK version the tests ran), and a source map
 * without the sources' text: `--enable-source-maps` needs only the mappings to point a stack
 * trace at the TypeScript line, and Node reads and parses the whole map at every cold start
 * (the text tripled its size: 3.7 MB for the dispatcher, 1.3 MB without; about 15 ms of import).
 * `CORRAL_TRACE_AWS_CALLS` is written into the code, so that when it is false the Tracer's import
 * is dead code and esbuild leaves the X-Ray SDK out (lib/observability/function-observability.ts).
 * `CorralFunction` hands these to NodejsFunction; the bench and the bundle tests hand the same
 * settings to esbuild directly.
 */
export function lambdaBundleSettings(choices: BundleChoices) {
  return {
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: requireShim,
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    define: { [`process.env.${traceAwsCallsVariable}`]: JSON.stringify(String(choices.traceAwsCalls)) },
  };
}

/** The esbuild options NodejsFunction derives from `lambdaBundleSettings`; the caller adds the entry. */
export function esbuildOptionsFor(outfile: string, choices: BundleChoices): BuildOptions {
  const settings = lambdaBundleSettings(choices);
  return {
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: settings.target,
    mainFields: settings.mainFields,
    banner: { js: settings.banner },
    minify: settings.minify,
    sourcemap: settings.sourceMap,
    sourcesContent: settings.sourcesContent,
    define: settings.define,
    metafile: true,
    logLevel: 'error',
  };
}
