import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Lease } from '../core/lease/index.js';
import { isConditionalCheckFailure } from './condition-failures.js';
import { leaseAttributes, leaseKey } from './lease-items.js';

const pendingAttribute = 'pendingPass';

/**
 * "Look again when you are done", kept on a lease item: the dirty mark of controller-runtime's
 * work queue. A trigger that finds the lease held marks it; the holder takes the mark before
 * releasing and, if it was set, reconciles once more, so a change that arrived mid-reconcile is
 * acted on at once rather than after a requeue delay.
 */
export class PendingPasses {
  constructor(private readonly documents: DynamoDBDocumentClient, private readonly tableName: string) {}

  /** Marks the lease `name` (only if it exists). */
  async request(name: string): Promise<void> {
    try {
      await this.documents.send(new UpdateCommand({
        TableName: this.tableName,
        Key: leaseKey(name),
        UpdateExpression: 'SET #pending = :true',
        ConditionExpression: 'attribute_exists(#holder)',
        ExpressionAttributeNames: { '#pending': pendingAttribute, '#holder': leaseAttributes.holder },
        ExpressionAttributeValues: { ':true': true },
      }));
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
  }

  /** Clears the mark while `lease` is still held; answers whether it was set. */
  async take(lease: Lease): Promise<boolean> {
    try {
      const out = await this.documents.send(new UpdateCommand({
        TableName: this.tableName,
        Key: leaseKey(lease.name),
        UpdateExpression: 'REMOVE #pending',
        ConditionExpression: '#holder = :holder AND #token = :token',
        ExpressionAttributeNames: { '#pending': pendingAttribute, '#holder': leaseAttributes.holder, '#token': leaseAttributes.token },
        ExpressionAttributeValues: { ':holder': lease.holder, ':token': lease.token },
        ReturnValues: 'UPDATED_OLD',
      }));
      return out.Attributes?.[pendingAttribute] === true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Releases `lease` unless another pass was asked for, in one conditional write, so no ask
   * can fall between a last look at the mark and the release. Answers whether it released;
   * false means a pass is pending (take it and reconcile again) — or the lease was lost.
   */
  async releaseUnlessPending(lease: Lease): Promise<boolean> {
    try {
      await this.documents.send(new UpdateCommand({
        TableName: this.tableName,
        Key: leaseKey(lease.name),
        UpdateExpression: 'SET #expiresAt = :zero',
        ConditionExpression: '#holder = :holder AND #token = :token AND attribute_not_exists(#pending)',
        ExpressionAttributeNames: {
          '#pending': pendingAttribute, '#holder': leaseAttributes.holder,
          '#token': leaseAttributes.token, '#expiresAt': leaseAttributes.expiresAt,
        },
        ExpressionAttributeValues: { ':holder': lease.holder, ':token': lease.token, ':zero': 0 },
      }));
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }
}
