import { describe, expect, it } from 'vitest';
import { configOf, doc, monitorOf, problemsOf } from './helpers.js';

describe('min-runtime and early in the config', () => {
  it('takes both from defaults', () => {
    const config = configOf(
      doc('defaults:', '  min-runtime: 10s', '  early: 1m', 'monitors:', '  a:', '    every: 1h'),
    );
    expect(config.monitors.get('a')).toMatchObject({ minRuntimeMs: 10_000, earlyMs: 60_000 });
  });

  it('leaves both off unless given', () => {
    expect(monitorOf(['every: 1h'])).toMatchObject({ minRuntimeMs: null, earlyMs: null });
  });

  it.each([
    [
      'a min-runtime not shorter than max-runtime',
      ['every: 1h', 'max-runtime: 5m', 'min-runtime: 5m'],
      'config.yaml:5:18 monitors.a.min-runtime: min-runtime 5m must be shorter than max-runtime (5m), or every run fails',
    ],
    [
      'a min-runtime not shorter than the grace it defaults its max-runtime to',
      ['every: 1h', 'grace: 1m', 'min-runtime: 2m'],
      'config.yaml:5:18 monitors.a.min-runtime: min-runtime 2m must be shorter than max-runtime (1m), or every run fails',
    ],
    [
      'an early not shorter than the period',
      ['every: 1h', 'early: 1h'],
      'config.yaml:4:12 monitors.a.early: early 1h must be shorter than the period (every 1h), or no success is ever too early',
    ],
    [
      'an early that is no duration',
      ['every: 1h', 'early: soon'],
      "config.yaml:4:12 monitors.a.early: invalid duration 'soon': write numbers with units (ms, s, m, h, d, w), like 90s, 5m or 1h30m",
    ],
  ])('reports %s at its position', (_name, lines, problem) => {
    expect(problemsOf(doc('monitors:', '  a:', ...lines.map((l) => `    ${l}`)))).toEqual([
      problem,
    ]);
  });

  it('reports a min-runtime from defaults where defaults wrote it', () => {
    expect(
      problemsOf(doc('defaults:', '  min-runtime: 10m', 'monitors:', '  a:', '    every: 1h')),
    ).toEqual([
      'config.yaml:2:16 defaults.min-runtime: min-runtime 10m must be shorter than max-runtime (5m), or every run fails',
    ]);
  });
});
