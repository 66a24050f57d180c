import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { captured, type ClientOptions, sdkConfig } from './clients.js';
import { CloudMapRegistry } from './cloud-map-registry.js';
import { ElbTargetGroups } from './elb-target-groups.js';
import { lazyClient } from './lazy-client.js';
import type { TrafficPorts } from './traffic.js';

/**
 * The reconciler's traffic ports on SDK clients pointed like the others (AWS_ENDPOINT_URL, or
 * `options`). Each client is built at its first call: most services use no load balancer or
 * registry, and a reconciler that never meets one builds neither.
 */
export function createTrafficPorts(options: ClientOptions = {}): TrafficPorts & { destroy(): void } {
  const config = sdkConfig(options);
  const elb = lazyClient(() => captured(options, new ElasticLoadBalancingV2Client(config)));
  const cloudMap = lazyClient(() => captured(options, new ServiceDiscoveryClient(config)));
  return {
    targetGroups: new ElbTargetGroups(elb),
    registry: new CloudMapRegistry(cloudMap),
    destroy() {
      elb.destroy();
      cloudMap.destroy();
    },
  };
}
