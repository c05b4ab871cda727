import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { doc } from './helpers.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'overdue-config-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadConfig', () => {
  it('reads and validates a file', async () => {
    const path = write('config.yaml', doc('monitors:', '  backup:', '    every: 1d'));
    const result = await loadConfig(path, {});
    expect(result.ok && [...result.config.monitors.keys()]).toEqual(['backup']);
  });

  it('gives the absolute path of a file named by a relative path', async () => {
    const path = write('config.yaml', '');
    const result = await loadConfig(relative(process.cwd(), path), {});
    expect(result.ok && result.config.file).toBe(path);
  });

  it('resolves a relative data-dir against the directory of the file', async () => {
    mkdirSync(join(dir, 'etc'));
    const path = write('etc/config.yaml', doc('server:', '  data-dir: ../var/overdue'));
    const result = await loadConfig(relative(process.cwd(), path), {});
    expect(result.ok && result.config.server.dataDir).toBe(join(dir, 'var/overdue'));
  });

  it('keeps an absolute data-dir', async () => {
    const path = write('config.yaml', doc('server:', '  data-dir: /var/lib/overdue'));
    const result = await loadConfig(path, {});
    expect(result.ok && result.config.server.dataDir).toBe('/var/lib/overdue');
  });

  it('puts the data directory next to the file by default', async () => {
    const path = write('config.yaml', '');
    const result = await loadConfig(path, {});
    expect(result.ok && result.config.server.dataDir).toBe(join(dir, 'data'));
  });

  it('substitutes variables from the given environment', async () => {
    const path = write('config.yaml', doc('server:', '  ping-key: ${KEY}'));
    const result = await loadConfig(path, { KEY: 'k'.repeat(16) });
    expect(result.ok && result.config.server.pingKey).toBe('k'.repeat(16));
  });

  it('names the file as given in problems', async () => {
    const path = write('config.yaml', doc('monitors:', '  a:', '    every: 0s'));
    const result = await loadConfig(path, {});
    expect(result.ok ? [] : result.problems).toEqual([
      { file: path, line: 3, col: 12, path: 'monitors.a.every', message: 'must be longer than 0s' },
    ]);
  });

  it('reports a missing file as one problem with the fix', async () => {
    const path = join(dir, 'nope.yaml');
    expect(await loadConfig(path, {})).toEqual({
      ok: false,
      problems: [
        {
          file: path,
          line: 1,
          col: 1,
          path: '',
          message: 'cannot read config file: no such file (create it, or pass --config)',
        },
      ],
    });
  });

  it('reports a directory as one problem', async () => {
    const result = await loadConfig(dir, {});
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([
      'cannot read config file: it is a directory, not a file',
    ]);
  });

  it.each([
    ['an empty file', ''],
    ['a file of comments', doc('# nothing to watch yet')],
    ['a file without monitors', doc('server:', '  listen: 9000')],
    ['an empty monitors section', doc('monitors:')],
    ['a map of nothing', doc('{}')],
  ])('accepts %s as a config without monitors', async (_name, text) => {
    const result = await loadConfig(write('config.yaml', text), {});
    expect(result.ok && result.config.monitors.size).toBe(0);
  });
});
