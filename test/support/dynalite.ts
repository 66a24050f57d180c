import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../../lib/aws/table-setup.js';
import { localTableName } from '../../lib/aws/table-schema.js';
import { startLocalAws } from '../../lib/local/aws/index.js';
import { LocalBus } from '../../lib/local/bus.js';
import { VirtualClock } from '../../lib/local/virtual-clock.js';

export interface TestDynamo {
  /** `http://127.0.0.1:<port>` of the local endpoint. */
  readonly endpoint: string;
  /** The Corral table, already ACTIVE. */
  readonly tableName: string;
  /** A low-level client pointed at `endpoint` (wrap it in a DynamoDBDocumentClient as needed). */
  readonly client: DynamoDBClient;
  /** Destroys the client and stops the endpoint. */
  close(): Promise<void>;
}

/**
 * Starts local mode's AWS endpoint on a free port of 127.0.0.1 — DynamoDB is an in-memory
 * dynalite behind Corral's proxy, so transactions and ALL_OLD on failed conditions work as in
 * DynamoDB — and creates the Corral table (pk/sk plus the `byKind` index, as
 * lib/aws/table-setup.ts lays it out). Each call gets its own endpoint and data, so test files
 * never see each other's items.
 */
export async function startTestDynamo(tableName = localTableName): Promise<TestDynamo> {
  const clock = new VirtualClock();
  const bus = new LocalBus({ clock });
  const aws = await startLocalAws({ port: 0, clock, bus });
  const client = new DynamoDBClient({
    endpoint: aws.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });

  const close = async (): Promise<void> => {
    client.destroy();
    bus.close();
    await aws.close();
  };
  try {
    await ensureTable(client, tableName);
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint: aws.url, tableName, client, close };
}
