import { CloudWatchLogsClient, FilterLogEventsCommand, ResourceNotFoundException, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { AwsSelection } from '../aws-identity.js';
import type { CliContext } from '../context.js';
import { CLI_DEFAULTS, EXIT } from '../defaults.js';
import { parseDuration } from '../duration.js';
import { CliError, UsageError } from '../errors.js';
import { isLoopback } from '../loopback.js';
import { renderData } from '../render/format.js';

export interface LogsOptions {
  follow?: boolean;
  since?: string;
  revision?: string;
  timestamps?: boolean;
  interval?: string;
}

/**
 * The CloudWatch Logs client for a Corral endpoint. In local mode (a loopback API) the logs are
 * local mode's too: its AWS endpoint on port 4566 of the same host, any credentials, unless
 * AWS_ENDPOINT_URL(_CLOUDWATCH_LOGS) says otherwise. Elsewhere, the profile and region of the
 * connection and the standard chain.
 */
export function logsClient(endpoint: URL, aws: AwsSelection, env: NodeJS.ProcessEnv): CloudWatchLogsClient {
  const local = isLoopback(endpoint);
  const endpointFromEnv = env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS || env.AWS_ENDPOINT_URL;
  return new CloudWatchLogsClient({
    ...(aws.profile ? { profile: aws.profile } : {}),
    ...(aws.region ? { region: aws.region } : local ? { region: env.AWS_REGION || 'us-east-1' } : {}),
    ...(local && !endpointFromEnv ? { endpoint: `http://${endpoint.host.replace(/:\d+$/, '')}:${CLI_DEFAULTS.localAwsPort}` } : {}),
    ...(local && !env.AWS_ACCESS_KEY_ID && !aws.profile ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}

/**
 * `logs NAME`: the service's task logs from CloudWatch Logs, oldest first. Task definitions
 * send them to `/corral/services/<name>`, stream `rev<N>/app/<task id>` (lib/core/task-definition.ts),
 * so `--revision N` is a stream prefix. `--follow` keeps looking every second until interrupted.
 */
export async function logsCommand(ctx: CliContext, name: string, options: LogsOptions): Promise<number> {
  if (options.revision !== undefined && !/^[1-9]\d*$/.test(options.revision)) {
    throw new UsageError(`--revision must be a revision number, got "${options.revision}"`);
  }
  const sinceMs = options.since === undefined ? undefined : parseDuration(options.since);
  const intervalMs = parseDuration(options.interval ?? CLI_DEFAULTS.followInterval);
  const connection = await ctx.connection();
  // Names the closest service on a typo, before looking for a log group that cannot exist.
  await connection.api.getService(name);
  const client = logsClient(connection.endpoint, connection.aws, ctx.env);
  const group = `${CLI_DEFAULTS.serviceLogGroupPrefix}${name}`;
  const seen = new Set<string>();
  let startTime = sinceMs === undefined ? undefined : ctx.now() - sinceMs;
  try {
    for (;;) {
      let nextToken: string | undefined;
      do {
        let page;
        try {
          page = await client.send(new FilterLogEventsCommand({
            logGroupName: group,
            ...(options.revision ? { logStreamNamePrefix: `rev${options.revision}/` } : {}),
            ...(startTime === undefined ? {} : { startTime }),
            ...(nextToken ? { nextToken } : {}),
          }));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
            throw new CliError(
              `cannot reach CloudWatch Logs: ${(error as Error).message} (local mode on another --aws-port? set AWS_ENDPOINT_URL to its AWS endpoint)`,
              { cause: error },
            );
          }
          if (!(error instanceof ResourceNotFoundException)) throw error;
          // No task of the service has logged yet: nothing to show, and with --follow, wait.
          if (!options.follow) ctx.warn(`no logs for service/${name} yet (log group ${group} does not exist)`);
          break;
        }
        for (const event of page.events ?? []) {
          if (event.eventId && seen.has(event.eventId)) continue;
          if (event.eventId) seen.add(event.eventId);
          ctx.print(formatEvent(ctx, event, options.timestamps === true));
          // Ask again from the newest line seen; the same millisecond comes back and is skipped by id.
          if (event.timestamp !== undefined) startTime = Math.max(startTime ?? 0, event.timestamp);
        }
        nextToken = page.nextToken;
      } while (nextToken);
      if (!options.follow || ctx.outputClosed()) return EXIT.ok;
      await ctx.sleep(intervalMs);
    }
  } finally {
    client.destroy();
  }
}

/** `[rev2 0f3ca1b2] message` (revision and the first 8 characters of the task id), or the event as data. */
function formatEvent(ctx: CliContext, event: FilteredLogEvent, timestamps: boolean): string {
  // One event a line, so `-o json` output is JSON Lines a pipe can read as it comes.
  if (ctx.format === 'json') return JSON.stringify(event);
  if (ctx.format !== 'table') return renderData(ctx.format, event);
  const [prefix, , task] = (event.logStreamName ?? '').split('/');
  const source = task ? `${prefix} ${task.slice(0, 8)}` : (event.logStreamName ?? '');
  const time = timestamps && event.timestamp !== undefined ? `${new Date(event.timestamp).toISOString()} ` : '';
  return `${time}${ctx.paint('dim', `[${source}]`)} ${event.message ?? ''}`;
}
