import type { Clock } from '../../../clock.js';
import type { Elbv2Emulator } from './elbv2-emulator.js';
import type { TargetProbe } from './target-health.js';
import { badTraffic, readTrafficSettings, TrafficClient, type TrafficReport } from './traffic.js';

/**
 * `/_corral/traffic`, the traffic rehearsal: `POST {"targetGroupArn", "requestsPerSecond",
 * "requestMs"}` starts (or replaces) the synthetic client of a target group, `GET
 * ?targetGroupArn=…` reports it (without the parameter: every client), `DELETE ?targetGroupArn=…`
 * stops it and answers its final report.
 */
export class TrafficControl {
  private readonly clients = new Map<string, TrafficClient>();

  constructor(
    private readonly clock: Clock,
    private readonly probe: TargetProbe,
    private readonly elbv2: Elbv2Emulator,
  ) {}

  handle(method: string, query: URLSearchParams, body: unknown): unknown {
    if (method === 'POST') {
      const settings = readTrafficSettings(body);
      if (!this.elbv2.targetsOf(settings.targetGroupArn)) throw badTraffic(`No target group ${settings.targetGroupArn}`, 404);
      this.clients.get(settings.targetGroupArn)?.stop();
      const client = new TrafficClient(settings, this.clock, this.probe, () => this.elbv2.targetsOf(settings.targetGroupArn));
      this.clients.set(settings.targetGroupArn, client);
      return client.report();
    }
    const arn = query.get('targetGroupArn');
    if (method === 'GET' && arn === null) return { clients: [...this.clients.values()].map((c) => c.report()) };
    if (method !== 'GET' && method !== 'DELETE') throw badTraffic(`${method} is not supported on /_corral/traffic`, 405);
    if (arn === null) throw badTraffic('targetGroupArn is required');
    const client = this.clients.get(arn);
    if (!client) throw badTraffic(`No traffic runs against ${arn}`, 404);
    const report: TrafficReport = client.report();
    if (method === 'DELETE') {
      client.stop();
      this.clients.delete(arn);
    }
    return report;
  }

  stopAll(): void {
    for (const client of this.clients.values()) client.stop();
    this.clients.clear();
  }
}
