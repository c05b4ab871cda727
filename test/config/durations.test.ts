// Every duration in the config has an upper bound: a grace of 100000000d passed `check` once and
// then made every page that shows the monitor's deadline fail (a date past year 275760).
import { describe, expect, it } from 'vitest';
import { doc, problemsOf } from './helpers.js';

const monitor = ['monitors:', '  a:', '    every: 1h'];
const hook = ['hooks:', '  h:', '    command: [true]'];

describe('durations', () => {
  it.each([
    ['defaults.grace', doc('defaults:', '  grace: 100000000d'), 2, 10],
    ['defaults.max-runtime', doc('defaults:', '  max-runtime: 100000000d'), 2, 16],
    ['defaults.repeat', doc('defaults:', '  repeat: 100000000d'), 2, 11],
    ['monitors.a.grace', doc(...monitor, '    grace: 100000000d'), 4, 12],
    ['monitors.a.max-runtime', doc(...monitor, '    max-runtime: 100000000d'), 4, 18],
    ['monitors.a.repeat', doc(...monitor, '    repeat: 100000000d'), 4, 13],
    ['auto-provision.grace', doc('auto-provision:', '  grace: 100000000d'), 2, 10],
    ['auto-provision.every', doc('auto-provision:', '  every: 100000000d'), 2, 10],
  ])('refuses %s longer than a year, saying the bound', (path, text, line, col) => {
    expect(problemsOf(text)).toEqual([`config.yaml:${line}:${col} ${path}: must be at most 365d`]);
  });

  it('refuses a hook timeout longer than an hour, a bound Node timers can keep', () => {
    expect(problemsOf(doc(...hook, '    timeout: 2h'))).toEqual([
      'config.yaml:4:14 hooks.h.timeout: must be at most 1h',
    ]);
    expect(problemsOf(doc(...hook, '    timeout: 1h'))).toEqual([]);
  });

  it('accepts a grace of exactly a year', () => {
    expect(problemsOf(doc(...monitor, '    grace: 365d'))).toEqual([]);
  });
});
