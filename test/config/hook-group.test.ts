// `group: { wait, max }` on a hook: its values, defaults, bounds and the problems a webhook whose
// request cannot carry a list of alerts reports, each at its line and column.
import { describe, expect, it } from 'vitest';
import { createHook } from '../../src/hooks/registry.js';
import { configOf, doc, problemsOf } from './helpers.js';

function hookOf(...lines: string[]) {
  const config = configOf(doc('hooks:', '  h:', ...lines.map((l) => `    ${l}`)));
  const hook = config.hooks.get('h');
  if (hook === undefined) throw new Error('hook h is missing');
  return hook;
}

const problems = (...lines: string[]) =>
  problemsOf(doc('hooks:', '  h:', ...lines.map((l) => `    ${l}`)));

describe('a hook with group:', () => {
  it('is not grouped when group is absent', () => {
    expect(hookOf('webhook: https://example.com/hook').group).toBeUndefined();
    expect(createHook(hookOf('command: ["true"]')).group).toBeUndefined();
  });

  it('groups with the wait and max it is given', () => {
    const hook = hookOf('webhook: https://example.com/hook', 'group: { wait: 30s, max: 500 }');
    expect(hook.group).toEqual({ waitMs: 30_000, max: 500 });
  });

  it('takes a wait of 10s and a max of 100 when they are left out', () => {
    expect(hookOf('command: ["true"]', 'group: {}').group).toEqual({ waitMs: 10_000, max: 100 });
    expect(hookOf('command: ["true"]', 'group: { max: 7 }').group).toEqual({
      waitMs: 10_000,
      max: 7,
    });
  });

  it.each([
    ['command: ["true"]'],
    ['webhook: https://example.com/hook'],
    ['ntfy: { url: "https://ntfy.sh", topic: t }'],
  ])('carries its group into the hook that delivers (%s)', (line) => {
    expect(createHook(hookOf(line, 'group: { wait: 2s, max: 3 }')).group).toEqual({
      waitMs: 2_000,
      max: 3,
    });
  });

  it.each([
    ['group: { wait: 0s }', '4:20 hooks.h.group.wait: must be longer than 0s'],
    ['group: { wait: 301s }', '4:20 hooks.h.group.wait: must be at most 5m'],
    ['group: { max: 1 }', '4:19 hooks.h.group.max: must be at least 2'],
    ['group: { max: 10001 }', '4:19 hooks.h.group.max: must be at most 10000'],
    [
      'group: { wiat: 1s }',
      "4:14 hooks.h.group.wiat: unknown key 'wiat' (expected one of: wait, max)",
    ],
    ['group: 10s', "4:12 hooks.h.group: expected a map, got '10s'"],
  ])('reports %s at its position', (line, problem) => {
    expect(problems('command: ["true"]', line)).toEqual([`config.yaml:${problem}`]);
  });

  it('lets a webhook with a JSON body template group (an array of filled-in bodies)', () => {
    const lines = [
      'webhook:',
      '  url: https://example.com/hook',
      `  body: '{"m": "{{monitor.slug}}"}'`,
    ];
    expect(problems(...lines, 'group: { wait: 5s }')).toEqual([]);
  });

  it.each([
    [
      ['webhook:', '  url: https://example.com/hook', '  format: text', '  body: "{{title}}"'],
      'config.yaml:7:12 hooks.h.group: a webhook with a text body cannot group its alerts: a group is sent as a JSON array; remove format and body, or remove group',
    ],
    [
      ['webhook:', '  url: https://example.com/hook', '  method: GET'],
      'config.yaml:6:12 hooks.h.group: a webhook sending GET has no body to list alerts in; use POST, or remove group',
    ],
  ])('reports a webhook whose request cannot list alerts, at group', (lines, problem) => {
    expect(problems(...lines, 'group: { wait: 5s }')).toEqual([problem]);
  });

  it('reserves OVERDUE_ALERT_COUNT, which a grouped command run gets, in a command’s env', () => {
    expect(problems('command:', '  run: ["true"]', '  env: { OVERDUE_ALERT_COUNT: "1" }')).toEqual([
      'config.yaml:5:14 hooks.h.command.env.OVERDUE_ALERT_COUNT: OVERDUE_ALERT_COUNT is set by overdue for each alert; use another name',
    ]);
  });
});
