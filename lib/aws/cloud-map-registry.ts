import {
  DeregisterInstanceCommand,
  ListInstancesCommand,
  RegisterInstanceCommand,
  type ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery';
import type { SendingClient } from './lazy-client.js';
import { type DiscoveryInstance, type DiscoveryRegistry, registryServiceId } from './traffic.js';
import { mapTrafficError } from './traffic-errors.js';

/**
 * `DiscoveryRegistry` on AWS Cloud Map through an injected client. RegisterInstance and
 * DeregisterInstance start asynchronous operations; the instance shows in ListInstances once the
 * operation succeeds, which the next reconcile observes, so the adapter does not poll GetOperation.
 */
export class CloudMapRegistry implements DiscoveryRegistry {
  constructor(private readonly cloudMap: SendingClient<ServiceDiscoveryClient>) {}

  async register(registryArn: string, instance: DiscoveryInstance): Promise<void> {
    await this.call('RegisterInstance', registryArn, () =>
      this.cloudMap.send(
        new RegisterInstanceCommand({
          ServiceId: registryServiceId(registryArn),
          InstanceId: instance.id,
          Attributes: instance.attributes,
        }),
      ),
    );
  }

  async deregister(registryArn: string, instanceId: string): Promise<void> {
    try {
      await this.cloudMap.send(new DeregisterInstanceCommand({ ServiceId: registryServiceId(registryArn), InstanceId: instanceId }));
    } catch (error) {
      if ((error as { name?: string }).name === 'InstanceNotFound') return;
      throw mapTrafficError(error, 'DeregisterInstance', registryArn);
    }
  }

  async list(registryArn: string): Promise<DiscoveryInstance[]> {
    const instances: DiscoveryInstance[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call('ListInstances', registryArn, () =>
        this.cloudMap.send(new ListInstancesCommand({ ServiceId: registryServiceId(registryArn), NextToken: nextToken, MaxResults: 100 })),
      );
      for (const instance of page.Instances ?? []) {
        if (instance.Id !== undefined) instances.push({ id: instance.Id, attributes: { ...instance.Attributes } });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return instances;
  }

  private async call<T>(operation: string, registryArn: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw mapTrafficError(error, operation, registryArn);
    }
  }
}
