import type { Command } from 'commander';
import { UsageError } from './errors.js';

export type Shell = 'bash' | 'zsh' | 'fish';

/** What a command's NAME argument completes to, looked up by running corral itself. */
type Names = 'services' | 'jobs' | 'contexts';

interface CommandNode {
  /** Space-separated path below `corral`: "", "rollout", "rollout status". */
  path: string;
  subcommands: string[];
  options: string[];
  names?: Names;
}

const nameLookups: Record<Names, string> = {
  services: "corral get services -o name 2>/dev/null | sed 's#^service/##'",
  jobs: "corral get jobs -o name 2>/dev/null | sed 's#^job/##'",
  contexts: 'corral config get-contexts -o name 2>/dev/null',
};

const fishNameLookups: Record<Names, string> = {
  services: "corral get services -o name 2>/dev/null | string replace -r '^service/' ''",
  jobs: "corral get jobs -o name 2>/dev/null | string replace -r '^job/' ''",
  contexts: 'corral config get-contexts -o name 2>/dev/null',
};

/** Commands whose first argument is a job or a context rather than a service. */
const namesOf = (path: string): Names | undefined => {
  if (path.startsWith('jobs ')) return 'jobs';
  if (path === 'config use-context' || path === 'config delete-context' || path === 'config set-context') return 'contexts';
  if (path.startsWith('secrets') || path.startsWith('config') || path.startsWith('completion') || path === 'apply' || path === 'jobs apply') return undefined;
  return 'services';
};

function walk(command: Command, path: string, inherited: string[]): CommandNode[] {
  const options = [...inherited, ...command.options.flatMap((option) => [option.long, option.short].filter((flag): flag is string => !!flag))];
  const node: CommandNode = {
    path,
    subcommands: command.commands.map((sub) => sub.name()),
    options,
    ...(command.registeredArguments.length > 0 ? { names: namesOf(path) } : {}),
  };
  return [node, ...command.commands.flatMap((sub) => walk(sub, path ? `${path} ${sub.name()}` : sub.name(), inherited))];
}

/** Options that take a value, so the word after them is not a command. */
function valueOptions(program: Command): string[] {
  const all = (command: Command): Command[] => [command, ...command.commands.flatMap(all)];
  return [...new Set(all(program).flatMap((c) => c.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short].filter((f): f is string => !!f))))];
}

/** `corral completion bash|zsh|fish`: a script for the shell, built from the program's own commands. */
export function completionScript(shell: string, program: Command): string {
  const globals = program.options.flatMap((option) => [option.long].filter((flag): flag is string => !!flag));
  const nodes = walk(program, '', []).map((node) => (node.path === '' ? node : { ...node, options: [...node.options, ...globals] }));
  if (shell === 'bash') return bashScript(nodes, valueOptions(program));
  if (shell === 'zsh') return `#compdef corral\n# zsh: source <(corral completion zsh)\nautoload -U +X bashcompinit && bashcompinit\n${bashScript(nodes, valueOptions(program))}`;
  if (shell === 'fish') return fishScript(nodes);
  throw new UsageError(`completion: unknown shell "${shell}" (use bash, zsh or fish)`);
}

function bashScript(nodes: CommandNode[], takesValue: string[]): string {
  const cases = nodes
    .map((node) => {
      const words = [...node.subcommands, ...node.options].join(' ');
      const names = node.names ? ` $(${nameLookups[node.names]})` : '';
      return `    "${node.path}") words="${words}${names}" ;;`;
    })
    .join('\n');
  return `# corral completion for bash: source <(corral completion bash)
_corral() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    -o|--output) COMPREPLY=($(compgen -W "table wide json yaml name jsonpath=" -- "$cur")); return ;;
    ${takesValue.join('|')}) COMPREPLY=(); return ;;
  esac
  local path="" i word skip=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ -n "$skip" ]]; then skip=""; continue; fi
    case "$word" in
      ${takesValue.join('|')}) skip=1 ;;
      -*) ;;
      *) local next="\${path:+$path }$word"
         case "$next" in
${nodes.map((node) => `           "${node.path}") path="$next" ;;`).join('\n')}
         esac ;;
    esac
  done
  local words=""
  case "$path" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _corral corral
`;
}

function fishScript(nodes: CommandNode[]): string {
  const lines = ['# corral completion for fish: corral completion fish | source', 'complete -c corral -f'];
  for (const node of nodes) {
    const condition =
      node.path === ''
        ? '__fish_use_subcommand'
        : `__fish_seen_subcommand_from ${node.path.split(' ').at(-1)}`;
    if (node.subcommands.length > 0) lines.push(`complete -c corral -n '${condition}' -a '${node.subcommands.join(' ')}'`);
    if (node.names) lines.push(`complete -c corral -n '${condition}' -a "(${fishNameLookups[node.names]})"`);
  }
  lines.push("complete -c corral -s o -l output -x -a 'table wide json yaml name jsonpath='");
  for (const flag of new Set(nodes.flatMap((node) => node.options).filter((flag) => flag.startsWith('--') && flag !== '--output'))) {
    lines.push(`complete -c corral -l ${flag.slice(2)}`);
  }
  return `${lines.join('\n')}\n`;
}
