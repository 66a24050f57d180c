import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { ensureTable } from '../../lib/aws/table-setup.js';
import { localTableName } from '../../lib/aws/table-schema.js';

export interface TestDynamo {
  /** `http://127.0.0.1:<port>` of the in-process dynalite. */
  readonly endpoint: string;
  /** The Corral table, already ACTIVE. */
  readonly tableName: string;
  /** A low-level client pointed at `endpoint` (wrap it in a DynamoDBDocumentClient as needed). */
  readonly client: DynamoDBClient;
  /** Destroys the client and stops the server. */
  close(): Promise<void>;
}

/**
 * Starts an in-memory dynalite on a free port of 127.0.0.1 and creates the Corral table
 * (pk/sk plus the `byKind` index, as lib/aws/table-setup.ts lays it out).
 * Each call gets its own server and data, so test files never see each other's items.
 */
export async function startTestDynamo(tableName = localTableName): Promise<TestDynamo> {
  // Zero delays: tables are ACTIVE as soon as CreateTable returns, no polling needed.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });

  const close = async (): Promise<void> => {
    client.destroy();
    await new Promise<void>((resolve, reject) =>
      server.close((err?: Error) => (err ? reject(err) : resolve())),
    );
  };
  try {
    await ensureTable(client, tableName);
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint, tableName, client, close };
}
