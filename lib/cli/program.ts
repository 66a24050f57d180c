import { Command, Option } from 'commander';
import { applyCommand } from './commands/apply.js';
import { dashboardCommand } from './commands/dashboard.js';
import {
  currentContextCommand,
  deleteContextCommand,
  getContextsCommand,
  setContextCommand,
  useContextCommand,
} from './commands/config.js';
import { deleteCommand } from './commands/delete.js';
import { describeCommand } from './commands/describe.js';
import { eventsCommand } from './commands/events.js';
import { getCommand, type GetOptions } from './commands/get.js';
import { logsCommand, type LogsOptions } from './commands/logs.js';
import { apiErrorText } from './commands/report-error.js';
import { rolloutActionCommand, type RolloutAction } from './commands/rollout-actions.js';
import { rolloutStatusCommand } from './commands/rollout-status.js';
import { scaleCommand } from './commands/scale.js';
import { getSecretCommand, rotateSecretCommand } from './commands/secrets.js';
import { createContext, type CliContext, type GlobalOptions, type TerminalStream } from './context.js';
import { CLI_DEFAULTS, EXIT } from './defaults.js';
import { completionScript } from './completion.js';
import { ApiError, CliError } from './errors.js';
import { painter, colorEnabled } from './render/color.js';
import { cliVersion } from './version.js';

export interface CliIO {
  stdout: TerminalStream;
  stderr: TerminalStream;
  env: NodeJS.ProcessEnv;
}

/** Runs one `corral` invocation and resolves to its exit code (the binary passes it to process.exit). */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    return reportError(error, io);
  }
  return exitCode;
}

function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('corral')
    .description('Drive a Corral orchestrator: services, rollouts, jobs and secrets')
    .version(cliVersion(), '-v, --version', 'print the version of corral')
    .option('--endpoint <url>', 'Corral API URL (default: --context, CORRAL_ENDPOINT, the current context, the stack output ApiUrl, or local mode)')
    .option('--stack <name>', `CloudFormation stack to read ApiUrl from (default ${CLI_DEFAULTS.stackName})`)
    .option('--context <name>', 'a named context of the config file (corral config get-contexts)')
    .option('--profile <name>', 'AWS profile for signing, the stack lookup and logs (default: AWS_PROFILE)')
    .option('--region <region>', 'AWS region (default: the endpoint host, AWS_REGION, or the profile)')
    .addOption(new Option('-o, --output <format>', 'table, wide, json, yaml, name or jsonpath=EXPR').default(CLI_DEFAULTS.output))
    .showHelpAfterError()
    // Set before any subcommand exists: commander copies these settings to subcommands at creation.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  /** Wraps a command body: builds the context from the global options and records the exit code. */
  const action =
    <A extends unknown[]>(body: (ctx: CliContext, ...args: A) => Promise<number>) =>
    async (...args: A) => {
      const command = args[args.length - 1] as Command;
      const ctx = createContext(command.optsWithGlobals<GlobalOptions>(), io);
      setExit(await body(ctx, ...args));
    };

  program
    .command('apply')
    .description('create or update the services and jobs in a JSON or YAML file, showing what changes')
    .requiredOption('-f, --file <path>', 'file with {kind, name, spec} documents (- for stdin)')
    .option('--dry-run', 'show what would change and send nothing that changes state')
    .action(action((ctx, options: { file: string; dryRun?: boolean }) => applyCommand(ctx, options)));

  program
    .command('get')
    .description('list services (or jobs), or show one')
    .argument('[kind-or-name...]', '[services|jobs] [NAME]')
    .option('-w, --watch', 'after listing, print each object again when it changes, until interrupted')
    .option('--interval <duration>', 'with --watch: look this often', CLI_DEFAULTS.watchInterval)
    .option('--chunk-size <n>', 'list in pages of this many (1-500; the API\'s default is 100), following each page to the end')
    .action(action((ctx, args: string[], options: GetOptions) => getCommand(ctx, args, options)));

  program
    .command('describe')
    .description('spec, status and recent events of a service (or: describe job NAME)')
    .argument('<kind-or-name...>', '[service|job] NAME')
    .action(action((ctx, args: string[]) => describeCommand(ctx, args)));

  program
    .command('scale')
    .description('set the number of replicas of a service')
    .argument('<name>')
    .argument('<replicas>')
    .action(action((ctx, name: string, replicas: string) => scaleCommand(ctx, name, replicas)));

  program
    .command('delete')
    .description('delete a service (its tasks are stopped first) or a job (delete job NAME)')
    .argument('<kind-or-name...>', '[service|job] NAME')
    .action(action((ctx, args: string[]) => deleteCommand(ctx, args)));

  program
    .command('events')
    .description('recent events of a service, newest first')
    .argument('<name>')
    .action(action((ctx, name: string) => eventsCommand(ctx, name)));

  program
    .command('logs')
    .description("a service's task logs from CloudWatch Logs (local mode: its own), oldest first")
    .argument('<name>')
    .option('-f, --follow', 'keep printing new lines until interrupted')
    .option('--since <duration>', 'only lines newer than this, e.g. 10m, 1h')
    .option('--revision <n>', 'only tasks of this revision')
    .option('--timestamps', 'prefix each line with its time')
    .option('--interval <duration>', 'with --follow: look this often', CLI_DEFAULTS.followInterval)
    .action(action((ctx, name: string, options: LogsOptions) => logsCommand(ctx, name, options)));

  const rollout = program.command('rollout').description('watch and steer rollouts');
  rollout
    .command('status')
    .description('wait for the rollout to finish: exit 0 Available, 2 Failed or RolledBack, 3 timeout')
    .argument('<name>')
    .option('--timeout <duration>', 'give up after this long', CLI_DEFAULTS.rolloutTimeout)
    .option('--interval <duration>', 'poll this often', CLI_DEFAULTS.rolloutInterval)
    .action(action((ctx, name: string, options: { timeout: string; interval: string }) => rolloutStatusCommand(ctx, name, options)));
  for (const [verb, description] of [
    ['pause', 'pause the rollout: nothing is started or stopped'],
    ['resume', 'resume a paused rollout'],
    ['undo', 'roll back to the previous stable revision (or --to-revision N)'],
    ['promote', 'move a canary to its next step (--full: skip every remaining step); also lets a rollout held by an alarm that was firing at its start go on'],
    ['abort', 'stop the rollout and go back to the stable revision at full count (phase Aborted)'],
  ] as const) {
    const command = rollout.command(verb).description(description).argument('<name>');
    if (verb === 'undo') command.option('--to-revision <n>', 'revision to roll back to');
    if (verb === 'promote') command.option('--full', 'skip every remaining step');
    command.action(
      action((ctx, name: string, options: { toRevision?: string; full?: boolean }) => rolloutActionCommand(ctx, verb as RolloutAction, name, options)),
    );
  }

  const secrets = program.command('secrets').description('secret rotation');
  secrets
    .command('rotate')
    .description('rotate a secret now; the services that use it are restarted, rolling')
    .argument('<name>')
    .action(action((ctx, name: string) => rotateSecretCommand(ctx, name)));
  secrets
    .command('get')
    .description('last and next rotation and the consumers of a secret (never its value)')
    .argument('<name>')
    .action(action((ctx, name: string) => getSecretCommand(ctx, name)));

  const jobs = program.command('jobs').description('singleton scheduled jobs');
  jobs
    .command('apply')
    .description('create or update jobs from a file (kind defaults to Job)')
    .requiredOption('-f, --file <path>', 'file with {name, spec} documents (- for stdin)')
    .option('--dry-run', 'show what would change and send nothing that changes state')
    .action(action((ctx, options: { file: string; dryRun?: boolean }) => applyCommand(ctx, options, 'Job')));
  jobs
    .command('get')
    .description('list jobs, or show one')
    .argument('[name]')
    .action(action((ctx, name: string | undefined) => getCommand(ctx, name ? ['jobs', name] : ['jobs'])));
  jobs
    .command('delete')
    .description('delete a job')
    .argument('<name>')
    .action(action((ctx, name: string) => deleteCommand(ctx, ['jobs', name])));

  dashboardCommand(program.command('dashboard'), io);

  const config = program.command('config').description('named contexts (endpoint, stack, profile, region) in ~/.corral/config.yaml or CORRAL_CONFIG');
  config.command('get-contexts').description('list the contexts; * marks the current one').action(action((ctx) => getContextsCommand(ctx)));
  config.command('current-context').description('print the current context').action(action((ctx) => currentContextCommand(ctx)));
  config
    .command('use-context')
    .description('make a context the current one')
    .argument('<name>')
    .action(action((ctx, name: string) => useContextCommand(ctx, name)));
  config
    .command('set-context')
    .description('create or change a context: set-context NAME [--endpoint URL] [--stack S] [--profile P] [--region R]')
    .argument('<name>')
    // --endpoint, --stack, --profile and --region are the global options, read here as the context's fields.
    .action(action((ctx, name: string, _options: unknown, command: Command) => setContextCommand(ctx, name, command.optsWithGlobals())));
  config
    .command('delete-context')
    .description('remove a context')
    .argument('<name>')
    .action(action((ctx, name: string) => deleteContextCommand(ctx, name)));

  program
    .command('completion')
    .description('print a shell completion script: source <(corral completion bash)')
    .argument('<shell>', 'bash, zsh or fish')
    .action((shell: string) => {
      io.stdout.write(completionScript(shell, program));
    });

  return program;
}

/** Prints an error for a human (API field paths unchanged) and picks the exit code. */
function reportError(error: unknown, io: CliIO): number {
  const paint = painter(colorEnabled(io.stderr, io.env));
  if (isCommanderExit(error)) return error.exitCode;
  if (error instanceof ApiError) {
    io.stderr.write(`${apiErrorText(paint, `error (HTTP ${error.status})`, error.code, error.apiMessage, error.details)}\n`);
    if (error.hint) io.stderr.write(`${error.hint}\n`);
    // A server-side failure is worth reporting: the id finds its log lines.
    if (error.status >= 500 && error.requestId) io.stderr.write(`request id: ${error.requestId}\n`);
    return error.exitCode;
  }
  if (error instanceof CliError) {
    io.stderr.write(`${paint('red', `error: ${error.message}`)}\n`);
    return error.exitCode;
  }
  io.stderr.write(`${paint('red', `error: ${error instanceof Error ? error.message : String(error)}`)}\n`);
  return EXIT.error;
}

/** Commander's own exits (help, version, usage errors) after exitOverride(). */
function isCommanderExit(error: unknown): error is { exitCode: number; code: string } {
  return typeof error === 'object' && error !== null && 'code' in error && String((error as { code: unknown }).code).startsWith('commander.');
}
