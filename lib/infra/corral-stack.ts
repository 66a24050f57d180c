import { CfnOutput, Stack, type CfnElement, type StackProps } from 'aws-cdk-lib';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { Corral } from './corral.js';
import { corralPropsFromContext, readCorralContext, type CorralContext } from './corral-context.js';
import type { CorralManagedSecret, CorralManagedSecretProps } from './corral-managed-secret.js';
import type { CorralProps } from './corral-props.js';
import type { AttachRotationOptions } from './corral-rotation.js';

export interface CorralStackProps extends StackProps, Omit<CorralProps, 'tags'> {
  /** Overrides the `corral:*` context values (cluster and task networking). */
  readonly corral?: CorralContext;
}

const corralId = 'Corral';

/**
 * The one-command path: `cdk deploy` of this repository's app is this stack, the `Corral`
 * construct with its cluster and networking taken from `corral:*` context (or created), and the
 * outputs the CLI and the README use.
 */
export class CorralStack extends Stack {
  readonly corral: Corral;

  constructor(scope: Construct, id: string, props: CorralStackProps = {}) {
    super(scope, id, props);
    const context = { ...readCorralContext(this), ...props.corral };
    // Stack tags (`props.tags`) already reach every resource; they are not passed on twice.
    const { tags: _stackTags, ...corralProps } = props;
    this.corral = new Corral(this, corralId, { ...corralPropsFromContext(this, context), ...corralProps });

    new CfnOutput(this, 'ApiUrl', { value: this.corral.api.url, description: 'Corral API base URL (SigV4, service execute-api)' });
    new CfnOutput(this, 'TableName', { value: this.corral.table.table.tableName });
    new CfnOutput(this, 'RequeueQueueUrl', { value: this.corral.queues.requeue.queueUrl });
    new CfnOutput(this, 'ClusterName', { value: this.corral.networking.clusterName });
    new CfnOutput(this, 'ClusterArn', { value: this.corral.networking.clusterArn });
    new CfnOutput(this, 'RotationFunctionArn', { value: this.corral.functions.rotation.function.functionArn });
    const { monitoring } = this.corral;
    if (monitoring) {
      new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.alarmTopic.topicArn, description: 'Every Corral alarm is sent here' });
      new CfnOutput(this, 'DashboardName', { value: monitoring.dashboard.dashboardName });
    }
  }

  /**
   * The table keeps the logical id it had when this stack held it directly (0.1.0), so
   * upgrading a deployed stack updates the table in place instead of creating an empty one
   * beside the retained old one. Allocated here rather than overridden afterwards because the
   * construct already renders the id in its cdk-nag acknowledgements.
   */
  protected override allocateLogicalId(element: CfnElement): string {
    if (element.node.path === `${this.node.path}/${corralId}/State/Table/Resource`) return 'StateTable962DE04C';
    return super.allocateLogicalId(element);
  }

  /** Declares a secret Corral creates and rotates on `props.schedule`. */
  addManagedSecret(id: string, props: Omit<CorralManagedSecretProps, 'rotation'>): CorralManagedSecret {
    return this.corral.addManagedSecret(id, props);
  }

  /** Has Corral rotate an existing secret on `schedule` (`rate(...)` or `cron(...)`). */
  attachRotation(
    secret: secretsmanager.ISecret,
    schedule: string,
    options?: AttachRotationOptions,
  ): secretsmanager.CfnRotationSchedule {
    return this.corral.attachRotation(secret, schedule, options);
  }
}

