// `overdue import --merge CONFIG` adds to a config file in place, keeping its comments and order,
// and refuses (writing nothing) when a slug or token is taken, naming each clash's position.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load-config.js';
import { runCli } from '../../helpers/process.js';
import { tempDir } from '../../helpers/temp.js';
import { FIXTURES } from './helpers.js';

const CHECKS = join(FIXTURES, 'healthchecks-checks.json');

const BASE = `# Our monitors. Reviewed in git.
server:
  listen: 127.0.0.1:0 # loopback only

monitors:
  # the one we had before
  queue-worker:
    every: 5m
    token: queue-token-0123456789abcdef
`;

describe('overdue import --merge', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const config = (name: string, text: string) => {
    const file = join(dir.path, name);
    writeFileSync(file, text);
    return file;
  };

  it('appends the monitors, keeping comments and order, and the result is a valid config', () => {
    const file = config('merge.yaml', BASE);
    const r = runCli(['import', 'healthchecks', '--from', CHECKS, '--merge', file]);
    expect(r.status).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(
      text.startsWith(
        '# Our monitors. Reviewed in git.\nserver:\n  listen: 127.0.0.1:0 # loopback only\n',
      ),
    ).toBe(true);
    expect(text).toContain('  # the one we had before\n  queue-worker:\n');
    const order = ['queue-worker:', 'filesystem-backup:', 'database-backup:'].map((k) =>
      text.indexOf(k),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).toContain('# TODO integration');
    const parsed = parseConfig(text, file, {});
    expect(parsed.ok && [...parsed.config.monitors.keys()]).toEqual([
      'queue-worker',
      'filesystem-backup',
      'database-backup',
    ]);
  });

  it('refuses a slug and a token already in the file, at their positions, and writes nothing', () => {
    const text = `${BASE}  filesystem-backup:\n    every: 1h\n  other:\n    every: 1h\n    token: [new-token-0123456789abcdef, 803f680d-e89b-492b-82ef-2be7b774a92d]\n`;
    const file = config('clash.yaml', text);
    const r = runCli(['import', 'healthchecks', '--from', CHECKS, '--merge', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:10:3 monitors.filesystem-backup: already in the file`);
    expect(r.stderr).toContain(
      `${file}:14:41 token: the imported monitor 'database-backup' has this token too`,
    );
    expect(r.stderr).toContain('2 clash(es): nothing was written');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('never writes a config without --merge: it prints', () => {
    const file = config('config.yaml', BASE);
    const r = runCli(['import', 'healthchecks', '--from', CHECKS]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('filesystem-backup:');
    expect(readFileSync(file, 'utf8')).toBe(BASE);
  });
});

describe('overdue import errors', () => {
  it('says in one line, without a stack, what it could not read, and exits 1', () => {
    const missing = runCli(['import', 'gatus', '--from', '/nonexistent/gatus.yaml']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^overdue import gatus: \/nonexistent\/gatus.yaml: ENOENT/);
    expect(missing.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const wrong = runCli(['import', 'healthchecks', '--from', join(FIXTURES, 'gatus-config.yaml')]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/^overdue import healthchecks: .*JSON/);
  });

  it('exits 2 with the usage for an unknown source', () => {
    const r = runCli(['import', 'nagios']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('import takes a SOURCE: healthchecks, uptime-kuma, gatus, crontab');
  });
});
