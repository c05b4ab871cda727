import { describe, expect, it } from 'vitest';
import { configOf, doc, problemsOf } from './helpers.js';

const hookConfig = (...lines: string[]) =>
  configOf(doc('hooks:', '  h:', ...lines.map((l) => `    ${l}`)), {
    PAGER_TOKEN: 'p4ger',
  }).hooks.get('h');

describe('a command hook with env', () => {
  it('takes the command as run and the variables as env, ${VAR} substituted', () => {
    expect(
      hookConfig(
        'command:',
        '  run: [/usr/local/bin/page, --team, infra]',
        '  env:',
        '    TOKEN: ${PAGER_TOKEN}',
        "    EMPTY: ''",
      ),
    ).toEqual({
      kind: 'command',
      name: 'h',
      argv: ['/usr/local/bin/page', '--team', 'infra'],
      env: { TOKEN: 'p4ger', EMPTY: '' },
      timeoutMs: 30_000,
      publicUrl: null,
    });
  });

  it('runs a string given as run with sh -c', () => {
    expect(hookConfig('command:', "  run: 'echo hi'")).toMatchObject({
      argv: ['sh', '-c', 'echo hi'],
      env: {},
    });
  });

  it('passes no variables in the short forms', () => {
    expect(hookConfig('command: [x]')).toMatchObject({ argv: ['x'], env: {} });
  });

  it.each([
    [
      'a variable name that is not one',
      ['command:', '  run: [x]', '  env:', '    1BAD-NAME: v'],
      "config.yaml:6:9 hooks.h.command.env.1BAD-NAME: invalid variable name '1BAD-NAME' (letters, digits and _, not starting with a digit)",
    ],
    [
      'a variable overdue sets for each alert',
      ['command:', '  run: [x]', '  env:', '    OVERDUE_STATUS: up'],
      'config.yaml:6:9 hooks.h.command.env.OVERDUE_STATUS: OVERDUE_STATUS is set by overdue for each alert; use another name',
    ],
    [
      'env without run',
      ['command:', '  env: { A: b }'],
      "config.yaml:4:7 hooks.h.command: missing required key 'run'",
    ],
    [
      'a misspelt key',
      ['command:', '  run: [x]', '  environment: { A: b }'],
      "config.yaml:5:7 hooks.h.command.environment: unknown key 'environment' (expected one of: run, env)",
    ],
  ])('reports %s', (_, lines, problem) => {
    expect(problemsOf(doc('hooks:', '  h:', ...lines.map((l) => `    ${l}`)))).toEqual([problem]);
  });
});
