// A config nested thousands of levels deep is a config problem like any other. The YAML parsers
// recurse once per level: 4 000 levels threw a RangeError that killed `check`, `serve` and a running
// daemon on reload, and near the end of the stack V8 can abort the process outright.
import { describe, expect, it } from 'vitest';
import { FAST_PATH_BYTES } from '../../src/config/large-file/fast-yaml.js';
import { formatProblem, parseConfig } from '../../src/config/load-config.js';
import { MAX_NESTING } from '../../src/config/yaml-document.js';
import { doc, problemsOf } from './helpers.js';

const DEPTH = 4_000;
const TOO_DEEP = `nested more than ${MAX_NESTING} levels deep`;

/** A block map nested `depth` levels under `monitors.a`, one more space of indent per level. */
function deepMonitors(depth: number): string {
  const lines = ['monitors:', '  a:'];
  for (let i = 0; i < depth; i++) lines.push(`${' '.repeat(4 + i)}k${i}:`);
  return doc(...lines);
}

function problems(text: string): string[] {
  const result = parseConfig(text, 'config.yaml', {});
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('nesting', () => {
  it('reports a monitors section nested 4 000 levels deep, read by the fast reader, as one problem', () => {
    const text = deepMonitors(DEPTH);
    expect(text.length).toBeGreaterThanOrEqual(FAST_PATH_BYTES);
    const found = problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^config\\.yaml:\\d+:\\d+ ${TOO_DEEP}: `));
  });

  it('reports flow lists nested 4 000 levels deep where the nesting passes the limit', () => {
    const text = doc('monitors:', `  a: ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`);
    const [problem, ...rest] = problems(text);
    expect(rest).toEqual([]);
    // At the bracket that passes the limit: the first is at column 6, and the document and the
    // two maps around the lists count as three levels.
    const col = 6 + (MAX_NESTING - 3);
    expect(problem).toMatch(new RegExp(`^config\\.yaml:2:${col} ${TOO_DEEP}: `));
  });

  it('reports deep nesting outside the monitors section of a large file', () => {
    const padding = Array.from({ length: 3_000 }, (_, i) => `  m${i}:\n    every: 1h\n`).join('');
    const text = `hooks:\n  h: ${'{a: '.repeat(DEPTH)}1${'}'.repeat(DEPTH)}\nmonitors:\n${padding}`;
    expect(text.length).toBeGreaterThanOrEqual(FAST_PATH_BYTES);
    const found = problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^config\\.yaml:2:\\d+ ${TOO_DEEP}: `));
  });

  it('says how to fix it', () => {
    const [problem] = problemsOf(doc('monitors:', `  a: ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`));
    expect(problem).toContain('a config needs about 10 levels');
  });

  it('accepts a config nested as deeply as real ones are', () => {
    const text = doc(
      'hooks:',
      '  h:',
      '    webhook:',
      '      url: https://example.com/hook',
      '      events:',
      '        up:',
      '          headers: { X-Kind: [recovery] }',
      'monitors:',
      '  a:',
      '    every: 1h',
      '    notify: [h]',
    );
    expect(problemsOf(text).filter((p) => p.includes('nested'))).toEqual([]);
  });
});
