import { InvalidArgumentError, type Command } from 'commander';
import { startDashboard } from '../../ui/dashboard-server.js';
import { resolveConnection } from '../connect.js';
import type { GlobalOptions, TerminalStream } from '../context.js';
import { CliError } from '../errors.js';

/** `corral dashboard`'s port when `--port` is not given. */
const defaultPort = 8080;

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  return parsed;
}

/**
 * `corral dashboard [--port 8080]`: the status page on loopback, its API calls forwarded to the
 * endpoint the other commands use (signed with SigV4 when they would be). Runs until Ctrl-C.
 */
export function dashboardCommand(command: Command, io: { stdout: TerminalStream; env: NodeJS.ProcessEnv }): Command {
  return command
    .description('serve the status page on 127.0.0.1 and forward its API calls, signed with your AWS credentials')
    .option('--port <port>', `loopback port to serve the page on (0 picks a free one)`, port, defaultPort)
    .action(async (options: { port: number }, self: Command) => {
      const globals = self.optsWithGlobals<GlobalOptions>();
      const connection = await resolveConnection({ ...globals, env: io.env });
      const dashboard = await startDashboard({ ...connection, port: options.port }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') throw new CliError(`port ${options.port} is in use on 127.0.0.1: pick another with --port`, { cause: error });
        throw error;
      });
      io.stdout.write(
        `Corral dashboard: ${dashboard.url}\n` +
          `API: ${connection.endpoint.href} (${connection.sign ? 'signed with SigV4' : 'unsigned'}); Ctrl-C stops\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void dashboard.close().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
