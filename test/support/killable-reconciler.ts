import type { InitializeHandler, InitializeHandlerArguments, MetadataBearer } from '@smithy/types';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { createAwsClients, localClientOptions, sdkConfig } from '../../lib/aws/clients.js';
import { CloudMapRegistry } from '../../lib/aws/cloud-map-registry.js';
import { ElbTargetGroups } from '../../lib/aws/elb-target-groups.js';
import { localCluster, localTaskDefinitions } from '../../lib/local/runtime.js';
import { assembleReconcilerDependencies } from '../../lib/reconciler/dependencies.js';
import { reconcileService, type ReconcilerDependencies } from '../../lib/reconciler/runner.js';
import type { LocalRuntime } from '../../lib/local/runtime.js';

/** What a reconciler "dies" with: every AWS call from then on fails the same way. */
export class ReconcilerKilled extends Error {
  constructor(readonly afterCalls: number) {
    super(`reconciler killed after ${afterCalls} AWS calls`);
    this.name = 'ReconcilerKilled';
  }
}

/** Whether an error is the kill switch, possibly wrapped by an adapter's error family. */
export function isKilled(error: unknown): boolean {
  for (let e = error; e; e = (e as { cause?: unknown }).cause) if (e instanceof ReconcilerKilled) return true;
  return false;
}

/**
 * Reconciler dependencies whose AWS clients (DynamoDB, ECS, ELB and Cloud Map) let `killAfter` calls complete,
 * then fail the next one and every later one — as if the Lambda died right after that call
 * returned, never releasing its lease or writing anything else.
 */
export function killableReconciler(rt: Pick<LocalRuntime, 'awsUrl' | 'reconcilerDeps' | 'tableName' | 'clock'>, killAfter: number, holder: string): {
  deps: ReconcilerDependencies;
  /** The killable clients themselves, for other adapters that should die with the reconciler. */
  clients: ReturnType<typeof createAwsClients>;
  calls: () => number;
  close: () => void;
} {
  const clients = createAwsClients(localClientOptions(rt.awsUrl));
  const elb = new ElasticLoadBalancingV2Client(sdkConfig(localClientOptions(rt.awsUrl)));
  const cloudMap = new ServiceDiscoveryClient(sdkConfig(localClientOptions(rt.awsUrl)));
  let calls = 0;
  for (const client of [clients.dynamo, clients.ecs, clients.cloudwatch, elb, cloudMap]) {
    (client.middlewareStack as { add(m: unknown, o: unknown): void }).add(
      (next: InitializeHandler<object, MetadataBearer>) => async (args: InitializeHandlerArguments<object>) => {
        if (calls >= killAfter) throw new ReconcilerKilled(killAfter);
        const result = await next(args);
        calls++;
        return result;
      },
      { step: 'initialize', name: 'killSwitch' },
    );
  }
  const base = rt.reconcilerDeps;
  return {
    deps: {
      ...assembleReconcilerDependencies({
        documents: clients.documents, ecs: clients.ecs, cloudwatch: clients.cloudwatch, tableName: rt.tableName, cluster: localCluster,
        requeue: base.requeue, clock: rt.clock, logger: base.logger, metrics: base.metrics, taskDefinitions: localTaskDefinitions,
        traffic: { targetGroups: new ElbTargetGroups(elb), registry: new CloudMapRegistry(cloudMap) },
      }),
      holder,
    },
    clients,
    calls: () => calls,
    close: () => {
      for (const client of [...Object.values(clients), elb, cloudMap]) client.destroy();
    },
  };
}

/**
 * After a kill: healthy reconciles, as the requeues and the sweep would bring them, `stepMs` of
 * clock apart, until `done` says the service has converged. False if it has not after `rounds`.
 */
export async function reconcileUntil(
  rt: Pick<LocalRuntime, 'reconcilerDeps'> & { run(ms: number): Promise<void> },
  name: string,
  done: () => Promise<boolean>,
  { rounds = 30, stepMs = 5_000 }: { rounds?: number; stepMs?: number } = {},
): Promise<boolean> {
  for (let round = 0; round < rounds; round++) {
    await reconcileService({ ...rt.reconcilerDeps, holder: `healthy-${round}` }, name);
    await rt.run(stepMs);
    if (await done()) return true;
  }
  return false;
}
