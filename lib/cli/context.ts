import type { CorralApi } from './api-client.js';
import { connect } from './connect.js';
import { CLI_DEFAULTS } from './defaults.js';
import { colorEnabled, painter, type Paint } from './render/color.js';
import { parseOutputFormat, type OutputFormat } from './render/format.js';

/** Options every command accepts (declared once on the program). */
export interface GlobalOptions {
  endpoint?: string;
  stack?: string;
  output?: string;
}

export interface TerminalStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** What a command needs from the outside world; tests and the binary build it differently. */
export interface CliContext {
  format: OutputFormat;
  paint: Paint;
  /** stdout is a terminal: progress bars may redraw lines. */
  tty: boolean;
  print(text: string): void;
  warn(text: string): void;
  /** Redraws the current terminal line (TTY only). */
  redraw(text: string): void;
  api(): Promise<CorralApi>;
  now(): number;
  sleep(ms: number): Promise<void>;
}

export function createContext(
  options: GlobalOptions,
  io: { stdout: TerminalStream; stderr: TerminalStream; env: NodeJS.ProcessEnv },
): CliContext {
  const tty = io.stdout.isTTY === true;
  let api: Promise<CorralApi> | undefined;
  return {
    format: parseOutputFormat(options.output ?? CLI_DEFAULTS.output),
    paint: painter(colorEnabled(io.stdout, io.env)),
    tty,
    print: (text) => io.stdout.write(`${text}\n`),
    warn: (text) => io.stderr.write(`${text}\n`),
    redraw: (text) => io.stdout.write(`\r\u001b[2K${text}`),
    api: () => (api ??= connect({ flag: options.endpoint, stack: options.stack, env: io.env })),
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
