import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { closestMatch } from '../core/suggest.js';
import { CliError, UsageError } from './errors.js';

/** A named place to send commands to, like a kubeconfig context. */
export interface NamedContext {
  name: string;
  /** Corral API URL; without one, the stack's ApiUrl output (or local mode) as usual. */
  endpoint?: string;
  stack?: string;
  /** AWS profile for signing, the stack lookup and logs. */
  profile?: string;
  region?: string;
}

export interface CliConfig {
  currentContext?: string;
  contexts: NamedContext[];
}

export const contextFields = ['endpoint', 'stack', 'profile', 'region'] as const;

/** `CORRAL_CONFIG`, else `~/.corral/config.yaml`. */
export function configPath(env: NodeJS.ProcessEnv): string {
  return env.CORRAL_CONFIG || join(env.HOME || homedir(), '.corral', 'config.yaml');
}

/** The config file; a missing file is an empty config, a malformed one an error naming it. */
export function readConfig(path: string): CliConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { contexts: [] };
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (error) {
    throw new CliError(`${path} is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  const record = isRecord(data) ? data : {};
  const contexts = Array.isArray(record.contexts) ? record.contexts : [];
  return {
    ...(typeof record.currentContext === 'string' ? { currentContext: record.currentContext } : {}),
    contexts: contexts.filter(isRecord).filter((c) => typeof c.name === 'string').map((c) => ({
      name: String(c.name),
      ...Object.fromEntries(contextFields.flatMap((field) => (typeof c[field] === 'string' ? [[field, c[field]]] : []))),
    })),
  };
}

export function writeConfig(path: string, config: CliConfig): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, stringify(config), { mode: 0o600 });
}

/** The named context, or a usage error that lists the known ones (and the closest). */
export function findContext(config: CliConfig, name: string, path: string): NamedContext {
  const found = config.contexts.find((context) => context.name === name);
  if (found) return found;
  const names = config.contexts.map((context) => context.name);
  const close = closestMatch(name, names);
  const known = names.length === 0 ? `${path} has no contexts; add one with "corral config set-context NAME --endpoint URL"` : `known: ${names.join(', ')}`;
  throw new UsageError(`no context "${name}"${close ? `; did you mean "${close}"?` : ''} (${known})`);
}

/** The context a command uses: `--context`, else the file's current context, else none. */
export function activeContext(env: NodeJS.ProcessEnv, explicit: string | undefined): { context?: NamedContext; explicit: boolean } {
  const path = configPath(env);
  const config = readConfig(path);
  const name = explicit ?? config.currentContext;
  if (name === undefined) return { explicit: false };
  return { context: findContext(config, name, path), explicit: explicit !== undefined };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
