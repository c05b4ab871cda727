// Badges and /healthz on a real daemon with a real SQLite file.
import { describe, expect, it } from 'vitest';
import { worstStatus } from '../../src/engine/badge-keys.js';
import { configFrom, daemonFixture, startDaemon } from '../helpers/daemon.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const KEY = 'test-ping-key-0123456789';
const API = 'api-token-0123456789abcdef';

describe('badges', () => {
  const t = daemonFixture(T0);

  const config = () =>
    configFrom(
      t.dir.path,
      `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  ping-key: ${KEY}
  api-token: ${API}
monitors:
  backup:
    name: Nightly <backup>
    every: 1m
    grace: 30s
    tags: [db]
  replica:
    every: 1h
    tags: [db]
`,
    );
  const start = async () => {
    t.daemon = await startDaemon(config(), t.clock);
  };
  const ping = async (path: string) =>
    expect((await fetch(`${t.daemon?.url}/ping/${KEY}/${path}`)).status).toBe(200);
  const urls = (slug: string) => {
    const u = t.daemon?.read.badgeUrls(slug);
    if (!u) throw new Error(`no badge for ${slug}`);
    return u;
  };

  it('serves a monitor’s shields.io endpoint JSON under its key, without a token', async () => {
    await start();
    await ping('backup');
    const r = await fetch(urls('backup').json);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-cache');
    expect(await r.json()).toEqual({
      schemaVersion: 1,
      label: 'Nightly <backup>',
      message: 'up',
      color: 'brightgreen',
    });
  });

  it('serves an SVG badge with the label escaped and the status as message', async () => {
    await start();
    const r = await fetch(urls('backup').svg);
    expect(r.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await r.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('<title>Nightly &#60;backup&#62;: new</title>');
  });

  it('shows the worst status of a tag’s monitors', async () => {
    await start();
    await ping('backup');
    await ping('replica/fail');
    const tags = (await (
      await fetch(`${t.daemon?.url}/api/v1/badges`, { headers: { authorization: `Bearer ${API}` } })
    ).json()) as { tags: { tag: string; json: string }[] };
    expect(tags.tags.map((t) => t.tag)).toEqual(['db']);
    const badge = (await (await fetch(tags.tags[0]?.json ?? '')).json()) as { message: string };
    expect(badge).toMatchObject({ label: 'db', message: 'down', color: 'red' });
  });

  it('keeps its keys across a restart: the secret lives in the database', async () => {
    await start();
    const before = urls('backup').svg.replace(t.daemon?.url ?? '', '');
    await t.daemon?.close();
    await start();
    expect(urls('backup').svg.replace(t.daemon?.url ?? '', '')).toBe(before);
  });

  it('answers 404 to an unknown key', async () => {
    await start();
    expect((await fetch(`${t.daemon?.url}/badge/AAAAAAAAAAAAAAAAAAAAAA.svg`)).status).toBe(404);
    expect((await fetch(`${t.daemon?.url}/badge/backup.svg`)).status).toBe(404);
  });

  it('ranks statuses worst first: down, late, running, up, new, paused', () => {
    expect(worstStatus(['up', 'late', 'running'])).toBe('late');
    expect(worstStatus(['paused', 'new'])).toBe('new');
    expect(worstStatus([])).toBe('new');
  });
});

describe('/healthz', () => {
  const t = daemonFixture(T0);

  it('answers ok while the database can be written, and 503 with the cause when it cannot', async () => {
    const yaml = 'server:\n  listen: 127.0.0.1:0\n  data-dir: ./data\n';
    const daemon = await t.start(yaml);
    const ok = await fetch(`${daemon.url}/healthz`);
    expect([ok.status, await ok.text()]).toEqual([200, 'ok']);
    // query_only makes every write fail, as a read-only mount or a full disk would.
    daemon.store.db.pragma('query_only = ON');
    const down = await fetch(`${daemon.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.text()).toMatch(/^database not writable: .*readonly/i);
    daemon.store.db.pragma('query_only = OFF');
  });
});
