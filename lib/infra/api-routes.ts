/**
 * The HTTP routes of the public contract (../shared/DESIGN.md), one API Gateway method each,
 * so an IAM policy can allow exactly the routes a caller needs, e.g.
 * `execute-api:Invoke` on `.../GET/services/*` for a read-only user.
 */
export interface ApiRoute {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly path: string;
}

export const apiRoutes: readonly ApiRoute[] = [
  { method: 'GET', path: '/services' },
  { method: 'GET', path: '/services/{name}' },
  { method: 'PUT', path: '/services/{name}' },
  { method: 'DELETE', path: '/services/{name}' },
  { method: 'POST', path: '/services/{name}/scale' },
  { method: 'POST', path: '/services/{name}/rollback' },
  { method: 'POST', path: '/services/{name}/pause' },
  { method: 'POST', path: '/services/{name}/resume' },
  { method: 'POST', path: '/services/{name}/promote' },
  { method: 'POST', path: '/services/{name}/abort' },
  { method: 'GET', path: '/services/{name}/events' },
  { method: 'GET', path: '/jobs' },
  { method: 'GET', path: '/jobs/{name}' },
  { method: 'PUT', path: '/jobs/{name}' },
  { method: 'DELETE', path: '/jobs/{name}' },
  { method: 'GET', path: '/secrets/{name}' },
  { method: 'POST', path: '/secrets/{name}/rotate' },
];

/** `/services/{name}/scale` → ["name"]. */
export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((match) => match[1] as string);
}
