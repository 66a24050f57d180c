import fs from 'node:fs';

/**
 * The context of cdk.json (the feature flags a new CDK app gets), which `cdk synth` passes to the
 * app and `new App()` in a test does not: tests synthesize what `cdk deploy` deploys.
 */
export const cdkJsonContext: Record<string, unknown> = JSON.parse(
  fs.readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;
