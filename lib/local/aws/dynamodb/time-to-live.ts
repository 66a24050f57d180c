/**
 * Update/DescribeTimeToLive for dynalite, which has neither, and the expiry itself: the setting
 * is remembered per table and described back, as DynamoDB does, and `expired` finds the items
 * whose TTL attribute (epoch seconds) has passed, for the proxy to delete. DynamoDB deletes
 * expired items in the background within days; local mode does it at most once a minute of its
 * clock, when requests arrive, so `--ephemeral` memory stays bounded without a timer of its own.
 */
export class TimeToLiveSettings {
  private readonly settings = new Map<string, { AttributeName: string; Enabled: boolean }>();

  handle(operation: 'UpdateTimeToLive' | 'DescribeTimeToLive', body: string): unknown {
    const request = JSON.parse(body || '{}') as { TableName?: string; TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean } };
    const table = request.TableName ?? '';
    if (operation === 'UpdateTimeToLive') {
      if (request.TimeToLiveSpecification) this.settings.set(table, request.TimeToLiveSpecification);
      return { TimeToLiveSpecification: request.TimeToLiveSpecification };
    }
    const spec = this.settings.get(table);
    return { TimeToLiveDescription: spec?.Enabled ? { TimeToLiveStatus: 'ENABLED', AttributeName: spec.AttributeName } : { TimeToLiveStatus: 'DISABLED' } };
  }

  /** Tables with TTL enabled, and the attribute each expires on. */
  enabled(): { table: string; attribute: string }[] {
    return [...this.settings].filter(([, spec]) => spec.Enabled).map(([table, spec]) => ({ table, attribute: spec.AttributeName }));
  }
}

/** How often, in clock time, local mode looks for expired items. */
export const expiryIntervalMs = 60_000;
