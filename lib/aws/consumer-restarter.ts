import type { ConsumerRestarter } from '../rotation/index.js';
import { sameSecret } from '../core/secret-names.js';
import { createDynamoClients, type ClientOptions } from './clients.js';
import { createStateStore, type ServiceEvents, type ServiceSpecs } from './state-store.js';
import { systemClock } from '../clock.js';

/** The services whose spec injects the secret (by name, partial or full ARN). */
export async function consumersOf(store: Pick<ServiceSpecs, 'listServices'>, secretId: string): Promise<string[]> {
  const services = await store.listServices();
  return services
    .filter((s) => !s.deleting && Object.values(s.spec.secrets).some((ref) => sameSecret(ref, secretId)))
    .map((s) => s.name)
    .sort();
}

/**
 * After a rotation, every consuming service gets a new revision (same template, new task
 * definition) and rolls out under its own policy: ECS reads secrets only when a task starts.
 */
export function createConsumerRestarter(store: ServiceSpecs & ServiceEvents = storeFromEnvironment()): ConsumerRestarter {
  return {
    async restartConsumers(secretId, reason, rotationId) {
      const names = await consumersOf(store, secretId);
      for (const name of names) {
        const { record, restarted } = await store.restartService(name, reason, rotationId && `rotation:${rotationId}`);
        if (!restarted) continue;
        await store.appendEvents(name, [{
          type: 'SecretRotated',
          message: `${reason}: rolling out revision ${record.revision}`,
          revision: record.revision,
        }]);
      }
      return names;
    },
  };
}

/** The state store of the stack's table (TABLE_NAME), on a client built with `options`. */
export function storeFromEnvironment(options: ClientOptions = {}): ServiceSpecs & ServiceEvents {
  const tableName = process.env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  return createStateStore(createDynamoClients(options).documents, tableName, systemClock);
}
