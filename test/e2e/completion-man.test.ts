// Completion scripts and the man page come from the command table the help comes from: every
// command and option the help shows is completed and documented.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/command-table.js';
import { runCli } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

/** The long options a help text shows: --config, --log-level... */
function helpOptions(text: string): string[] {
  return [...new Set(text.match(/(?<![\w-])--[a-z][a-z-]*/g) ?? [])].sort();
}

describe('completion and man page', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const bash = join(dir.path, 'overdue.bash');
  writeFileSync(bash, runCli(['completion', 'bash']).stdout);

  /** What bash completes for the words typed so far (the last one being completed). */
  function complete(...words: string[]): string[] {
    const script = `source ${bash}; COMP_WORDS=(overdue ${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}; _overdue; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: dir.path });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter((w) => w !== '');
  }

  it('bash completes the commands', () => {
    expect(complete('')).toEqual(expect.arrayContaining(COMMANDS.map((c) => c.name)));
    expect(complete('sys')).toEqual(['systemd-unit']);
  });

  it.each(COMMANDS.filter((c) => c.name !== 'help').map((c) => c.name))(
    'bash completes every option the help of %s shows, and no other',
    (name) => {
      const help = runCli([name, '--help']).stdout;
      expect(complete(name, '--').sort()).toEqual(helpOptions(help));
    },
  );

  it('bash completes the values an option takes', () => {
    expect(complete('serve', '--log-level', 'w')).toEqual(['warn']);
    expect(complete('completion', '')).toEqual(['bash', 'zsh', 'fish']);
  });

  it.each(['zsh', 'fish'])('prints a %s script naming every command and option', (shell) => {
    const r = runCli(['completion', shell]);
    expect(r.status).toBe(0);
    for (const c of COMMANDS) {
      expect(r.stdout).toContain(c.name);
      for (const o of c.options) expect(r.stdout).toContain(o.long);
    }
  });

  // CI installs zsh and fish (.ci/run): there a missing shell is a failure, not a skip.
  const shell = (name: string) =>
    process.env.CI !== undefined || spawnSync(name, ['--version']).error === undefined;

  it.runIf(shell('fish'))('fish completes the commands, options and values from its script', () => {
    const file = join(dir.path, 'overdue.fish');
    writeFileSync(file, runCli(['completion', 'fish']).stdout);
    const fish = (line: string) => {
      const r = spawnSync('fish', ['-c', `source ${file}; complete -C '${line}'`], {
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      return r.stdout
        .split('\n')
        .map((l) => l.split('\t')[0] ?? '')
        .filter((w) => w !== '');
    };
    expect(fish('overdue sys')).toEqual(['systemd-unit']);
    expect(fish('overdue serve --log-l')).toEqual(['--log-level']);
    expect(fish('overdue serve --log-level ')).toEqual(['debug', 'error', 'info', 'warn']);
  });

  it.runIf(shell('zsh'))('zsh reads its script without an error and defines _overdue', () => {
    const file = join(dir.path, '_overdue');
    writeFileSync(file, runCli(['completion', 'zsh']).stdout);
    expect(spawnSync('zsh', ['-n', file], { encoding: 'utf8' }).stderr).toBe('');
    const script = `autoload -Uz compinit && compinit -u -d ${dir.path}/zcompdump; source ${file}; whence -w _overdue`;
    const r = spawnSync('zsh', ['-f', '-c', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('_overdue: function');
  });

  it('prints a man page that man renders without a warning, with every command and option', () => {
    const roff = runCli(['man']).stdout;
    const page = spawnSync('man', ['--warnings', '-l', '-'], {
      input: roff,
      encoding: 'utf8',
      env: { ...process.env, MANWIDTH: '100', MAN_KEEP_FORMATTING: '' },
    });
    expect(page.stderr).toBe('');
    const text = page.stdout;
    for (const c of COMMANDS) {
      expect(text).toContain(`overdue ${c.name}`);
      for (const o of c.options) expect(text).toContain(`--${o.long}`);
    }
  });
});
