import { describe, expect, it } from 'vitest';
import { configOf, doc, problemsOf } from './helpers.js';

describe('depends-on in the config', () => {
  it('lists the parents of a monitor', () => {
    const config = configOf(
      doc(
        'monitors:',
        '  router:',
        '    every: 1m',
        '  nas:',
        '    every: 1m',
        '  backup:',
        '    every: 1h',
        '    depends-on: [router, nas]',
      ),
    );
    expect(config.monitors.get('backup')?.dependsOn).toEqual(['router', 'nas']);
    expect(config.monitors.get('router')?.dependsOn).toEqual([]);
  });

  it.each([
    [
      'a monitor that depends on itself',
      ['  a:', '    every: 1m', '    depends-on: [a]'],
      [
        "config.yaml:4:18 monitors.a.depends-on[0]: monitor 'a' depends on itself: remove this entry",
      ],
    ],
    [
      'a cycle of two',
      [
        '  a:',
        '    every: 1m',
        '    depends-on: [b]',
        '  b:',
        '    every: 1m',
        '    depends-on: [a]',
      ],
      [
        'config.yaml:7:18 monitors.b.depends-on[0]: dependency cycle a -> b -> a: remove one of its depends-on entries',
      ],
    ],
    [
      'a cycle of three behind a chain, in block style',
      [
        '  a:',
        '    every: 1m',
        '    depends-on: [b]',
        '  b:',
        '    every: 1m',
        '    depends-on:',
        '      - x',
        '      - c',
        '  c:',
        '    every: 1m',
        '    depends-on: [a]',
        '  x:',
        '    every: 1m',
      ],
      [
        'config.yaml:12:18 monitors.c.depends-on[0]: dependency cycle a -> b -> c -> a: remove one of its depends-on entries',
      ],
    ],
    [
      'an unknown parent',
      ['  a:', '    every: 1m', '    depends-on: [routr]'],
      ["config.yaml:4:18 monitors.a.depends-on[0]: unknown monitor 'routr' (defined: a)"],
    ],
    [
      'a parent listed twice',
      ['  a:', '    every: 1m', '  b:', '    every: 1m', '    depends-on: [a, a]'],
      ['config.yaml:6:21 monitors.b.depends-on[1]: "a" is listed twice'],
    ],
  ])('reports %s at its position', (_name, lines, problems) => {
    expect(problemsOf(doc('monitors:', ...lines))).toEqual(problems);
  });

  it('is not a default: defaults.depends-on is an unknown key', () => {
    expect(problemsOf(doc('defaults:', '  depends-on: [a]'))[0]).toMatch(
      /^config.yaml:2:3 defaults.depends-on: unknown key/,
    );
  });
});
