import type { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { tableSchema } from '../aws/table-schema.js';

export interface CorralTableProps {
  /** A customer managed key; AWS managed encryption when absent. */
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
}

/**
 * The one table holding desired state, status, revisions, events, jobs and leases.
 *
 * On-demand billing (a control plane's load is bursty and small), point-in-time recovery,
 * AWS managed (or the given customer managed) encryption, TTL on `expiresAt` for events, and a stream with old and new images:
 * the stream is how the reconciler learns of every accepted write even when the API Lambda dies
 * right after it. By default the table is kept when the stack is deleted: it is the users'
 * desired state.
 */
export class CorralTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: CorralTableProps) {
    super(scope, id);
    const string = dynamodb.AttributeType.STRING;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: tableSchema.partitionKey, type: string },
      sortKey: { name: tableSchema.sortKey, type: string },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      ...(props.encryptionKey
        ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
        : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: tableSchema.timeToLiveAttribute,
      removalPolicy: props.removalPolicy,
      deletionProtection: props.deletionProtection,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: tableSchema.kindIndex.name,
      partitionKey: { name: tableSchema.kindIndex.partitionKey, type: string },
      sortKey: { name: tableSchema.kindIndex.sortKey, type: string },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
}
