// `overdue import uptime-kuma`: a real kuma.db (built with better-sqlite3 from Uptime Kuma's own
// schema, see fixtures/kuma-schema.sql) becomes monitors that keep their push tokens.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { daemonFixture } from '../../helpers/daemon.js';
import { FIXTURES, importCli, withServer } from './helpers.js';

const BACKUP_TOKEN = 'Xk3jP9qLm2Vb7Rt4Yw8Zc1Nd5Hf6Gs0A';
const WORKER_TOKEN = 'Qa1Ws2Ed3Rf4Tg5Yh6Uj7Ik8Ol9Pz0Xc';

function kumaDb(dir: string): string {
  const file = join(dir, 'kuma.db');
  const db = new Database(file);
  db.exec(readFileSync(join(FIXTURES, 'kuma-schema.sql'), 'utf8'));
  db.exec(readFileSync(join(FIXTURES, 'kuma-data.sql'), 'utf8'));
  db.close();
  return file;
}

describe('overdue import uptime-kuma', () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));

  it('maps push monitors: interval to every, retries to grace, tags, token, notifications', () => {
    const { stdout, stderr } = importCli(['uptime-kuma', '--from', kumaDb(t.dir.path)]);
    const config = parse(stdout) as {
      hooks: Record<string, unknown>;
      monitors: Record<string, Record<string, unknown>>;
    };
    expect(config.monitors['nightly-backup']).toEqual({
      name: 'Nightly backup',
      every: '1d',
      grace: '20m',
      tags: ['backup', 'env-prod'],
      notify: ['phone-ntfy', 'ops-slack'],
      token: BACKUP_TOKEN,
    });
    expect(config.hooks).toEqual({
      'phone-ntfy': { ntfy: { url: 'https://ntfy.example.com', topic: 'backups' } },
      'ops-slack': { slack: { url: 'https://hooks.slack.com/services/T000/B000/XXXX' } },
    });
    expect(Object.keys(config.monitors)).toEqual(['nightly-backup', 'queue-worker']);
    expect(stderr).toContain('left out: 1 http monitor(s)');
    expect(stderr).toContain("notification 'Pager' (id 3): kind 'PagerDuty' has no overdue preset");
    expect(stdout).toContain('# paused in Uptime Kuma');
    expect(config.monitors['queue-worker']).toMatchObject({ 'wait-for-first-ping': true });
    expect(stdout).toContain('# its notification 3 has no hook');
  });

  it('imports the database, runs overdue on the output and takes pushes at /api/push/<token>', async () => {
    const { stdout } = importCli(['uptime-kuma', '--from', kumaDb(t.dir.path)]);
    const daemon = await t.start(withServer(stdout));
    for (const token of [BACKUP_TOKEN, WORKER_TOKEN]) {
      const res = await fetch(`${daemon.url}/api/push/${token}?status=up&msg=OK&ping=12`);
      expect(await res.json()).toEqual({ ok: true });
    }
    expect(daemon.monitors.bySlug('nightly-backup')?.state.status).toBe('up');
    expect(daemon.monitors.bySlug('queue-worker')?.state.status).toBe('up');
  });
});
