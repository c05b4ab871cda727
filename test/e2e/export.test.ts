// `overdue export` reads the database and no secret, and never makes a database of its own.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { writeConfigYaml } from '../helpers/config-yaml.js';
import { runCli } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

describe('overdue export', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const config = (dataDir: string) =>
    writeConfigYaml(
      dir.path,
      {
        server: { 'data-dir': dataDir, 'ping-key': '${OVERDUE_PING_KEY}' },
        'auto-provision': { enabled: true },
        hooks: { chat: { webhook: '${CHAT_HOOK_URL}' } },
        monitors: { job: { every: '1h', notify: ['chat'] } },
      },
      `${dataDir}.yaml`,
    );
  const noSecrets = { OVERDUE_PING_KEY: undefined, CHAT_HOOK_URL: undefined };

  it('prints the provisioned monitors without the secrets of the config, and names the database', () => {
    const dataDir = join(dir.path, 'data');
    mkdirSync(dataDir);
    const store = new Store(dataDir);
    store.provision({
      slug: 'made-by-a-ping',
      name: 'made-by-a-ping',
      periodMs: null,
      graceMs: null,
      token: null,
      createdAt: 0,
    });
    store.close();
    const r = runCli(['export', '--config', config('data')], dir.path, noSecrets);
    expect(r.stderr).toBe(`read ${join(dataDir, 'overdue.db')}\n`);
    expect(r.stdout).toContain('made-by-a-ping:');
    expect(r.status).toBe(0);
  });

  it('exits 1 naming the file when the data-dir has no database, and creates none', () => {
    const dataDir = join(dir.path, 'nothing-here');
    const r = runCli(['export', '--config', config('nothing-here')], dir.path, noSecrets);
    expect(r.stderr).toContain(`no database at ${join(dataDir, 'overdue.db')}`);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('leaves an empty data-dir empty', () => {
    const dataDir = join(dir.path, 'empty');
    mkdirSync(dataDir);
    expect(runCli(['export', '--config', config('empty')], dir.path, noSecrets).status).toBe(1);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
