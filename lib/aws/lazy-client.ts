/** What the adapters call on an SDK client; a client built on first use (`lazyClient`) has only this. */
export type SendingClient<C extends { send: unknown }> = Pick<C, 'send'>;

/**
 * An SDK client built by `build` at its first `send`, and only then. The Lambda entries hand these
 * to the adapters that only some specs call (Elastic Load Balancing and Cloud Map for services
 * with load balancers or registries, CloudWatch for rollout alarms), so a cold start does not
 * resolve their configuration for invocations that never call them. The client modules are
 * still in the bundle: esbuild writes one file, so only the construction waits.
 * `destroy` destroys the client if it was built.
 */
export function lazyClient<C extends { send(...args: never[]): unknown; destroy(): void }>(build: () => C): Pick<C, 'send' | 'destroy'> {
  let client: C | undefined;
  const send = (...args: Parameters<C['send']>) => (client ??= build()).send(...args);
  return { send: send as C['send'], destroy: () => client?.destroy() };
}
