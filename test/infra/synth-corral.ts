import { Template } from 'aws-cdk-lib/assertions';
import { createCorralApp } from '../../lib/infra/corral-app.js';
import type { CorralStack } from '../../lib/infra/corral-stack.js';
import type { App, Environment } from 'aws-cdk-lib';
import { cdkJsonContext } from './feature-flags.js';

/**
 * cdk.json's feature flags, and esbuild skipped for every stack: the template is what these
 * tests look at, not the code.
 */
export const skipBundling = { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] as string[] };

export interface SynthesizedCorral {
  readonly app: App;
  readonly stack: CorralStack;
  readonly template: Template;
}

export interface SynthOptions {
  readonly context?: Record<string, unknown>;
  /** Account and Region; environment-agnostic (as with no credentials) when absent. */
  readonly env?: Environment;
  readonly configure?: (stack: CorralStack) => void;
}

/** The app exactly as bin/app.ts builds it (cdk-nag included), with extra context. */
export function synthCorral({ context = {}, env, configure = () => {} }: SynthOptions = {}): SynthesizedCorral {
  const { app, stack } = createCorralApp({
    app: { context: { ...skipBundling, ...context } },
    stack: { env },
  });
  configure(stack);
  return { app, stack, template: Template.fromStack(stack) };
}
