import type { CorralApi } from './api-client.js';
import { connect, type Connection } from './connect.js';
import { CLI_DEFAULTS } from './defaults.js';
import { colorEnabled, painter, type Paint } from './render/color.js';
import { parseOutputFormat, type OutputFormat } from './render/format.js';

/** Options every command accepts (declared once on the program). */
export interface GlobalOptions {
  endpoint?: string;
  stack?: string;
  output?: string;
  context?: string;
  profile?: string;
  region?: string;
}

export interface TerminalStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Real streams report a reader that went away (`corral get | head -1`) as an EPIPE error. */
  on?(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

/** What a command needs from the outside world; tests and the binary build it differently. */
export interface CliContext {
  format: OutputFormat;
  /** `-o wide`: tables show more columns (format is then 'table'). */
  wide: boolean;
  paint: Paint;
  /** stdout is a terminal: progress bars may redraw lines. */
  tty: boolean;
  print(text: string): void;
  warn(text: string): void;
  /** Redraws the current terminal line (TTY only). */
  redraw(text: string): void;
  /** Nobody reads stdout any more (the pipe closed): long-running commands stop. */
  outputClosed(): boolean;
  api(): Promise<CorralApi>;
  connection(): Promise<Connection>;
  env: NodeJS.ProcessEnv;
  now(): number;
  sleep(ms: number): Promise<void>;
}

export function createContext(
  options: GlobalOptions,
  io: { stdout: TerminalStream; stderr: TerminalStream; env: NodeJS.ProcessEnv },
): CliContext {
  const tty = io.stdout.isTTY === true;
  const { format, wide } = parseOutputFormat(options.output ?? CLI_DEFAULTS.output);
  let connection: Promise<Connection> | undefined;
  let closed = false;
  // A reader that went away is not an error: the command still finishes what it started
  // (an apply keeps applying), it just stops printing. Node ignores SIGPIPE itself.
  io.stdout.on?.('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  const write = (text: string) => {
    if (!closed) io.stdout.write(text);
  };
  const connected = () =>
    (connection ??= connect({
      endpoint: options.endpoint,
      stack: options.stack,
      context: options.context,
      profile: options.profile,
      region: options.region,
      env: io.env,
    }));
  return {
    format,
    wide,
    paint: painter(colorEnabled(io.stdout, io.env)),
    tty,
    print: (text) => write(`${text}\n`),
    warn: (text) => io.stderr.write(`${text}\n`),
    redraw: (text) => write(`\r\u001b[2K${text}`),
    outputClosed: () => closed,
    api: async () => (await connected()).api,
    connection: connected,
    env: io.env,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
