/**
 * Update/DescribeTimeToLive for dynalite, which has neither: the setting is remembered per table
 * and described back, as DynamoDB does; items do not expire in local mode.
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
}
