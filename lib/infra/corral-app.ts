import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CorralStack, type CorralStackProps } from './corral-stack.js';

export interface CorralAppOptions {
  readonly app?: AppProps;
  readonly stack?: CorralStackProps;
  /** The stack's name in CloudFormation. */
  readonly stackName?: string;
}

/**
 * The CDK app: the Corral stack with cdk-nag's AWS Solutions checks registered as a
 * validation plugin, so every synth — `cdk synth`, `cdk deploy`, the tests — fails on an
 * unacknowledged error and reports every finding.
 */
export function createCorralApp(options: CorralAppOptions = {}): { app: App; stack: CorralStack } {
  const app = new App(options.app);
  const stack = new CorralStack(app, options.stackName ?? 'Corral', {
    description: 'Corral: a serverless container orchestrator for Amazon ECS',
    ...options.stack,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
