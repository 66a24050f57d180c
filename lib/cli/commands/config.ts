import type { CliContext } from '../context.js';
import { configPath, contextFields, findContext, readConfig, writeConfig, type NamedContext } from '../config-file.js';
import { EXIT } from '../defaults.js';
import { UsageError } from '../errors.js';
import { renderData } from '../render/format.js';
import { renderTable } from '../render/table.js';

/** `config get-contexts`: every context, the current one marked `*`. */
export async function getContextsCommand(ctx: CliContext): Promise<number> {
  const config = readConfig(configPath(ctx.env));
  if (ctx.format === 'name') {
    if (config.contexts.length > 0) ctx.print(config.contexts.map((c) => c.name).join('\n'));
  } else if (ctx.format !== 'table') {
    ctx.print(renderData(ctx.format, config));
  } else if (config.contexts.length === 0) {
    ctx.print(`No contexts in ${configPath(ctx.env)}.`);
  } else {
    ctx.print(renderTable(
      ['CURRENT', 'NAME', 'ENDPOINT', 'STACK', 'PROFILE', 'REGION'],
      config.contexts.map((c) => [c.name === config.currentContext ? '*' : '', c.name, c.endpoint ?? '-', c.stack ?? '-', c.profile ?? '-', c.region ?? '-']),
    ));
  }
  return EXIT.ok;
}

export async function currentContextCommand(ctx: CliContext): Promise<number> {
  const config = readConfig(configPath(ctx.env));
  if (config.currentContext === undefined) throw new UsageError('no current context (set one with "corral config use-context NAME")');
  ctx.print(config.currentContext);
  return EXIT.ok;
}

/** `config use-context NAME`: later commands go where NAME says. */
export async function useContextCommand(ctx: CliContext, name: string): Promise<number> {
  const path = configPath(ctx.env);
  const config = readConfig(path);
  findContext(config, name, path);
  writeConfig(path, { ...config, currentContext: name });
  ctx.print(`Switched to context "${name}".`);
  return EXIT.ok;
}

/** `config set-context NAME [--endpoint URL] [--stack S] [--profile P] [--region R]`: creates or updates. */
export async function setContextCommand(ctx: CliContext, name: string, fields: Partial<Omit<NamedContext, 'name'>>): Promise<number> {
  const path = configPath(ctx.env);
  const config = readConfig(path);
  const existing = config.contexts.find((c) => c.name === name);
  const given = Object.fromEntries(contextFields.flatMap((field) => (fields[field] === undefined ? [] : [[field, fields[field]]])));
  const updated: NamedContext = { ...existing, ...given, name };
  writeConfig(path, {
    ...config,
    contexts: existing ? config.contexts.map((c) => (c.name === name ? updated : c)) : [...config.contexts, updated],
  });
  ctx.print(`Context "${name}" ${existing ? 'modified' : 'created'}.`);
  return EXIT.ok;
}

export async function deleteContextCommand(ctx: CliContext, name: string): Promise<number> {
  const path = configPath(ctx.env);
  const config = readConfig(path);
  findContext(config, name, path);
  const { currentContext, ...rest } = config;
  writeConfig(path, {
    ...rest,
    ...(currentContext !== undefined && currentContext !== name ? { currentContext } : {}),
    contexts: config.contexts.filter((c) => c.name !== name),
  });
  ctx.print(`Context "${name}" deleted.`);
  return EXIT.ok;
}
