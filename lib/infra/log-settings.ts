import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** How every log group of Corral is made: one retention, key and removal policy for all. */
export interface LogSettings {
  readonly retention: logs.RetentionDays;
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
}

export function corralLogGroup(scope: Construct, id: string, settings: LogSettings): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    retention: settings.retention,
    encryptionKey: settings.encryptionKey,
    removalPolicy: settings.removalPolicy,
  });
}
