import { canonicalJson, type TaskTemplate } from '../../core/spec/index.js';

/**
 * The part of a revision record the planner and the traffic plan read: what its tasks run (image,
 * whether they have a health check) and what traffic they take. Task definition ARNs and
 * availability are left out: only a reconcile that acts needs them, and it reads the partition.
 */
export interface PlanningRevision {
  revision: number;
  template: Pick<TaskTemplate, 'image' | 'healthCheck' | 'port' | 'loadBalancers' | 'serviceRegistries'>;
}

/**
 * What the reconciler last planned a service from, kept on its status item: the revisions as of
 * spec generation `generation`. Revisions change only with a new generation (the API writes a
 * spec and its revision together) or in the reconciler's own fenced commit (a prune, which
 * rewrites this digest), so a digest of the spec's current generation lets the sweep plan the
 * service from one batched read of status items instead of a Query of its partition.
 */
export interface PlanningDigest {
  generation: number;
  revisions: PlanningRevision[];
}

/** The digest of `revisions` at `generation`, without the revisions in `pruned`. */
export function planningDigestOf(generation: number, revisions: readonly PlanningRevision[], pruned: readonly number[] = []): PlanningDigest {
  return {
    generation,
    revisions: revisions
      .filter((r) => !pruned.includes(r.revision))
      .map(({ revision, template }) => ({
        revision,
        template: {
          image: template.image,
          ...(template.healthCheck === undefined ? {} : { healthCheck: template.healthCheck }),
          ...(template.port === undefined ? {} : { port: template.port }),
          ...(template.loadBalancers === undefined ? {} : { loadBalancers: template.loadBalancers }),
          ...(template.serviceRegistries === undefined ? {} : { serviceRegistries: template.serviceRegistries }),
        },
      })),
  };
}

/** Equal digests plan alike; a missing one never equals anything. */
export function sameDigest(a: PlanningDigest | undefined, b: PlanningDigest | undefined): boolean {
  return a !== undefined && b !== undefined && canonicalJson(a) === canonicalJson(b);
}

