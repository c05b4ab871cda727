// Live reload and clean shutdown of the real daemon process.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configYaml, TEST_PING_KEY as KEY, type ConfigSections } from '../helpers/config-yaml.js';
import { DaemonProcess } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

describe('reload and shutdown', () => {
  let dir: ReturnType<typeof tempDir>;
  let daemon: DaemonProcess | undefined;
  beforeEach(() => (dir = tempDir()));
  afterEach(async () => {
    daemon?.kill();
    await daemon?.exited();
    dir.remove();
  });

  const file = () => join(dir.path, 'config.yaml');
  // keep-pings is raised so that pruning does not hide a lost ping from the counts.
  const config = (monitors: ConfigSections['monitors'], server: ConfigSections['server'] = {}) =>
    configYaml({ server: { 'keep-pings': 1_000_000, ...server }, monitors });
  /** Replaces the file the way editors and git do: write a new file, rename it over the old. */
  const replace = (text: string) => {
    writeFileSync(`${file()}.tmp`, text);
    renameSync(`${file()}.tmp`, file());
  };
  const ping = async (slug: string) => (await fetch(`${daemon?.url}/ping/${KEY}/${slug}`)).status;
  const db = () => new Database(join(dir.path, 'data', 'overdue.db'), { readonly: true });

  it('applies a valid change when the file is replaced, keeping history across a rename and a schedule edit', async () => {
    writeFileSync(file(), config({ backup: { name: 'Backup', every: '1h' } }));
    daemon = await new DaemonProcess(file()).started();
    expect(await ping('backup')).toBe(200);
    expect(await ping('etl')).toBe(404);
    const mark = daemon.output.length;
    replace(
      config({
        backup: { name: 'Nightly backup', cron: '0 2 * * *' },
        etl: { every: '5m' },
      }),
    );
    await daemon.waitFor(/msg="config reloaded" monitors=2/, mark);
    expect(await ping('etl')).toBe(200);
    expect(await ping('backup')).toBe(200);
    const d = db();
    const rows = d
      .prepare(
        `SELECT m.slug, COUNT(p.id) AS pings FROM monitors m JOIN pings p ON p.monitor_id = m.id GROUP BY m.slug ORDER BY m.slug`,
      )
      .all();
    d.close();
    expect(rows).toEqual([
      { slug: 'backup', pings: 2 },
      { slug: 'etl', pings: 1 },
    ]);
  });

  it('rejects an invalid change with positions and keeps serving the old config', async () => {
    writeFileSync(file(), config({ backup: { every: '1h' } }));
    daemon = await new DaemonProcess(file()).started();
    const mark = daemon.output.length;
    writeFileSync(file(), config({ backup: { every: '1h' }, broken: { every: 'soon' } }));
    daemon.kill('SIGHUP');
    await daemon.waitFor(/config not reloaded/, mark);
    // server (listen, ping-key, keep-pings) is lines 1-4, backup 6-7: broken's every is line 9.
    expect(daemon.output.slice(mark)).toMatch(/config\.yaml:9:12 monitors\.broken\.every: /);
    expect(await ping('backup')).toBe(200);
    expect(await ping('broken')).toBe(404);
  });

  it('shows a rejected reload in /metrics', async () => {
    writeFileSync(file(), config({ backup: { every: '1h' } }, { public: ['metrics'] }));
    daemon = await new DaemonProcess(file()).started();
    const scrape = async () => (await fetch(`${daemon?.url}/metrics`)).text();
    expect(await scrape()).toContain('overdue_config_last_reload_success 1');
    const mark = daemon.output.length;
    writeFileSync(file(), config({ backup: { every: 'soon' } }));
    daemon.kill('SIGHUP');
    await daemon.waitFor(/config not reloaded/, mark);
    expect(await scrape()).toContain('overdue_config_last_reload_success 0');
  });

  it('says on /healthz and the status page that the running config is not the file’s until a reload applies', async () => {
    writeFileSync(file(), config({ backup: { every: '1h' } }, { public: ['status-page'] }));
    daemon = await new DaemonProcess(file()).started();
    const health = async () => {
      const res = await fetch(`${daemon?.url}/healthz`);
      return {
        status: res.status,
        config: res.headers.get('overdue-config'),
        body: await res.text(),
      };
    };
    const banner = async () =>
      /The running config is not the file's/.test(await (await fetch(`${daemon?.url}/`)).text());
    expect(await health()).toEqual({ status: 200, config: 'applied', body: 'ok' });
    expect(await banner()).toBe(false);
    let mark = daemon.output.length;
    writeFileSync(file(), config({ backup: { every: 'soon' } }, { public: ['status-page'] }));
    daemon.kill('SIGHUP');
    await daemon.waitFor(/config not reloaded/, mark);
    // Still healthy: pings are stored; the config is told beside it.
    const stale = await health();
    expect(stale).toMatchObject({ status: 200, config: 'stale' });
    expect(stale.body).toMatch(/^ok\nconfig: stale: the reload at \S+ failed/);
    expect(await banner()).toBe(true);
    mark = daemon.output.length;
    writeFileSync(file(), config({ backup: { every: '2h' } }, { public: ['status-page'] }));
    daemon.kill('SIGHUP');
    await daemon.waitFor(/config reloaded/, mark);
    expect(await health()).toEqual({ status: 200, config: 'applied', body: 'ok' });
    expect(await banner()).toBe(false);
  });

  it('loses no ping while reloading under load', async () => {
    writeFileSync(file(), config({ backup: { every: '1h' } }));
    daemon = await new DaemonProcess(file(), {}).started();
    const statuses: number[] = [];
    let sending = true;
    const clients = Array.from({ length: 8 }, async () => {
      while (sending) statuses.push(await ping('backup'));
    });
    for (let i = 0; i < 5; i++) {
      const mark = daemon.output.length;
      replace(config({ backup: { every: `${i + 2}h` } }));
      await daemon.waitFor(/msg="config reloaded"/, mark);
    }
    sending = false;
    await Promise.all(clients);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const d = db();
    const { n } = d.prepare('SELECT COUNT(*) AS n FROM pings').get() as { n: number };
    d.close();
    expect(n).toBe(statuses.length);
  });

  it('keeps every acknowledged ping when stopped with SIGTERM under load, and exits 0', async () => {
    writeFileSync(file(), config({ backup: { every: '1h' } }));
    daemon = await new DaemonProcess(file()).started();
    const acknowledged: string[] = [];
    let stopped = false;
    const clients = Array.from({ length: 16 }, async (_, c) => {
      for (let i = 0; ; i++) {
        const body = `c${c}-${i}`;
        try {
          const res = await fetch(`${daemon?.url}/ping/${KEY}/backup`, { method: 'POST', body });
          if (res.status === 200) acknowledged.push(body);
        } catch {
          return;
        }
        if (acknowledged.length >= 300 && !stopped) {
          stopped = true;
          daemon?.kill('SIGTERM');
        }
      }
    });
    await Promise.all(clients);
    expect(await daemon.exited()).toBe(0);
    const d = db();
    const stored = new Set(
      (d.prepare('SELECT body FROM pings').all() as { body: Buffer }[]).map((r) =>
        r.body.toString(),
      ),
    );
    d.close();
    expect(acknowledged.filter((b) => !stored.has(b))).toEqual([]);
  });
});
