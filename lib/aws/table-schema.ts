/**
 * The one DynamoDB table's key layout, shared by the CDK stack, the local runtime's table
 * creation and every adapter, so all three agree on names.
 *
 * Items (pk / sk):
 *   service#<name> / spec             desired state: spec, generation, target revision, intent
 *   service#<name> / status           observed status written by the reconciler (fenced)
 *   service#<name> / revision#<n>     task template of revision n (zero-padded n)
 *   service#<name> / event#<ts>#<id>  recent events, expiring through TTL
 *   job#<name>     / spec             job spec;  job#<name> / run#<tick>  job runs
 *   secret#<name>  / meta             rotation bookkeeping (never the value)
 *   lease#<name>   / lease            leases with fencing tokens
 */
export const tableSchema = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  /** GSI listing items by kind ("service", "job", "secret"), sorted by name. */
  kindIndex: { name: 'byKind', partitionKey: 'kind', sortKey: 'name' },
} as const;

/** Table name used by local mode and the tests. */
export const localTableName = 'corral';
