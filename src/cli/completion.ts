// Shell completion scripts, made from the command table.
import { COMMANDS, type CommandSpec, type OptionSpec } from './command-table.js';

const names = COMMANDS.map((c) => c.name);

function words(o: OptionSpec): string[] {
  return [`--${o.long}`, ...(o.short === undefined ? [] : [`-${o.short}`])];
}

/** A bash word list for compgen -W: the commands' names and options are plain words. */
function list(items: readonly string[]): string {
  return items.join(' ');
}

function bashValue(complete: OptionSpec['complete'] | CommandSpec['positional']): string {
  if (complete === undefined || complete === 'file') return 'COMPREPLY=($(compgen -f -- "$cur"))';
  if (complete === 'dir') return 'COMPREPLY=($(compgen -d -- "$cur"))';
  if (complete === 'command') return `COMPREPLY=($(compgen -W "${list(names)}" -- "$cur"))`;
  return `COMPREPLY=($(compgen -W "${list(complete)}" -- "$cur"))`;
}

function bashCommand(c: CommandSpec): string {
  const valued = c.options.filter((o) => o.value !== undefined);
  const cases = valued.map(
    (o) => `        ${words(o).join('|')}) ${bashValue(o.complete ?? 'file')}; return ;;`,
  );
  const optionWords = list(c.options.flatMap(words));
  const values =
    cases.length === 0 ? '' : `      case "$prev" in\n${cases.join('\n')}\n      esac\n`;
  return `    ${c.name})
${values}      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${optionWords}" -- "$cur")); return; fi
      ${c.positional === undefined ? ':' : bashValue(c.positional)} ;;`;
}

export function bashCompletion(): string {
  return `# bash completion for overdue (overdue completion bash)
_overdue() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${list(names)} --help --version" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${COMMANDS.map(bashCommand).join('\n')}
  esac
}
complete -o default -F _overdue overdue
`;
}

/** Text inside a zsh '...' word and an _arguments description: no quote, colon or bracket. */
function zshText(text: string): string {
  return text.replace(/'/g, '').replace(/:/g, ' -').replace(/[[\]]/g, '');
}

function zshAction(complete: OptionSpec['complete'] | CommandSpec['positional']): string {
  if (complete === undefined || complete === 'file') return '_files';
  if (complete === 'dir') return '_files -/';
  if (complete === 'command') return `(${names.join(' ')})`;
  return `(${complete.join(' ')})`;
}

function zshCommand(c: CommandSpec): string {
  const specs = c.options.flatMap((o) =>
    words(o).map((w) => {
      const value = o.value === undefined ? '' : `:${o.value}:${zshAction(o.complete ?? 'file')}`;
      return `'${w}[${zshText(o.help)}]${value}'`;
    }),
  );
  if (c.positional !== undefined) specs.push(`'*:argument:${zshAction(c.positional)}'`);
  return `    ${c.name}) _arguments ${specs.join(' ')} ;;`;
}

export function zshCompletion(): string {
  const described = COMMANDS.map((c) => `    '${c.name}:${zshText(c.summary)}'`);
  return `#compdef overdue
# zsh completion for overdue (overdue completion zsh > "\${fpath[1]}/_overdue")
_overdue() {
  local -a commands
  commands=(
${described.join('\n')}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  local command=$words[2]
  shift words
  (( CURRENT-- ))
  case $command in
${COMMANDS.map(zshCommand).join('\n')}
  esac
}
_overdue "$@"
`;
}

function fishText(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function fishOption(c: CommandSpec, o: OptionSpec): string {
  let line = `complete -c overdue -n '__fish_seen_subcommand_from ${c.name}' -l ${o.long}`;
  if (o.short !== undefined) line += ` -s ${o.short}`;
  if (o.value !== undefined) {
    const complete = o.complete ?? 'file';
    line += typeof complete === 'string' ? ' -r -F' : ` -x -a ${fishText(complete.join(' '))}`;
  }
  return `${line} -d ${fishText(o.help)}`;
}

function fishPositional(c: CommandSpec): string[] {
  const p = c.positional;
  if (p === undefined || p === 'file' || p === 'dir') return [];
  const items = p === 'command' ? names : p;
  return [
    `complete -c overdue -n '__fish_seen_subcommand_from ${c.name}' -x -a ${fishText(items.join(' '))}`,
  ];
}

export function fishCompletion(): string {
  const lines = [
    '# fish completion for overdue (overdue completion fish > ~/.config/fish/completions/overdue.fish)',
    'complete -c overdue -f',
    ...COMMANDS.map(
      (c) => `complete -c overdue -n __fish_use_subcommand -a ${c.name} -d ${fishText(c.summary)}`,
    ),
  ];
  for (const c of COMMANDS) {
    lines.push(...c.options.map((o) => fishOption(c, o)), ...fishPositional(c));
    if (c.positional === 'file' || c.positional === 'dir')
      lines.push(`complete -c overdue -n '__fish_seen_subcommand_from ${c.name}' -F`);
  }
  return lines.join('\n') + '\n';
}

export const COMPLETIONS: Readonly<Record<string, () => string>> = {
  bash: bashCompletion,
  zsh: zshCompletion,
  fish: fishCompletion,
};
