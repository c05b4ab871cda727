import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LeftToYaml, readBlockMap } from '../../../src/config/large-file/fast-yaml.js';
import { formatProblem, parseConfig } from '../../../src/config/load-config.js';

/** The map as plain values, or null when the reader leaves the text to yaml. */
function read(text: string): unknown {
  try {
    return readBlockMap(text, 0, text.length)?.toJSON() ?? null;
  } catch (error) {
    if (error instanceof LeftToYaml) return null;
    throw error;
  }
}

describe('fast-yaml', () => {
  it.each([
    [
      'plain strings, integers, booleans and nulls',
      'a: 5m\nb: 42\nc: true\nd: ~\ne: Job 7\nf: null\n',
    ],
    [
      'nested maps and comments',
      'job:\n  # a comment\n  every: 5m # why\n\n  grace: 2m\nnext:\n  x: y\n',
    ],
    ['quoted scalars', `a: '*/15 * * * *'\nb: "Europe/Berlin"\nc: 'it''s'\nd: 'a # b'\n`],
    ['flow and block lists', 'a: [ops, pager]\nb: []\nc: [ "x", y ]\nd:\n  - one\n  - 2\n'],
    ['words yaml 1.2 keeps as strings', 'a: yes\nb: off\nc: 1h30m\nd: 007x\ne: a[1]\n'],
    ['an empty value', 'a:\nb: 1\n'],
  ])('reads %s as yaml does', (_name, text) => {
    expect(read(text)).toEqual(parse(text));
  });

  it.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a float', 'a: 1.5\n'],
    ['a hex number', 'a: 0x1f\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a flow map', 'a: { url: x }\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a map in a list', 'a:\n  - x: 1\n'],
    ['a list at its key’s indentation', 'a:\n- x\n'],
    ['a double-quoted escape', 'a: "x\\ty"\n'],
    ['a tab', 'a:\t1\n'],
    ['a tag', 'a: !!str 1\n'],
    ['an unterminated quote', "a: 'x\n"],
    ['a key that is a number', '1: x\n'],
  ])('leaves %s to yaml', (_name, text) => {
    expect(read(text)).toBeNull();
  });
});

describe('loading a large config', () => {
  const big = (monitor: (i: number) => string) => {
    const lines = ['server:', '  listen: 127.0.0.1:0', '  data-dir: /tmp/x', 'monitors:'];
    for (let i = 0; i < 2_000; i++) lines.push(`  job-${i}:`, monitor(i));
    return lines.join('\n') + '\n';
  };

  it('gives the same config whether its monitors are read fast or by yaml', () => {
    const monitor = (i: number) =>
      i % 2 === 0
        ? `    every: 5m\n    grace: 2m\n    name: Job ${i}`
        : `    cron: '*/15 * * * *'\n    timezone: Europe/Berlin`;
    const fast = parseConfig(big(monitor), '/c.yaml', {});
    // An anchor is outside the fast subset: the whole file goes through yaml.
    const slow = parseConfig(big(monitor).replace('  job-0:', '  job-0: &first'), '/c.yaml', {});
    expect(fast.ok && slow.ok).toBe(true);
    if (!fast.ok || !slow.ok) return;
    expect([...fast.config.monitors.values()]).toEqual([...slow.config.monitors.values()]);
  });

  it('reports a problem in a large config with yaml’s position', () => {
    const text = big((i) => (i === 1_500 ? '    every: 5 minutes' : '    every: 5m'));
    const result = parseConfig(text, 'c.yaml', {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const line = text.split('\n').indexOf('    every: 5 minutes') + 1;
    expect(result.problems.map(formatProblem)[0]).toMatch(
      new RegExp(`^c\\.yaml:${line}:12 monitors\\.job-1500\\.every: `),
    );
  });
});
