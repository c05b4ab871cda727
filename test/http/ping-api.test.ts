// The Healthchecks-compatible ping API against a real daemon on a real port and SQLite file.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const KEY = 'test-ping-key-0123456789';
const TOKEN = 'tok-6f1d0c3e9b2a4d5f8e7c';
const RID = '3f2b8a1c-7d4e-4f5a-9b6c-1e2d3c4b5a69';

describe('ping API', () => {
  const dir = tempDir();
  let daemon: Daemon;
  beforeAll(async () => {
    daemon = await startDaemon(
      configFrom(
        dir.path,
        `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  ping-key: ${KEY}
  body-limit: 100
monitors:
  backup:
    every: 1h
    token: ${TOKEN}
  proxied:
    every: 1h
`,
      ),
    );
  });
  afterAll(async () => {
    await daemon.close();
    dir.remove();
  });

  const lastPing = (slug: string) =>
    daemon.store.db
      .prepare(
        `SELECT kind, exit_status, run_id, method, remote_addr, user_agent, body, duration_ms FROM pings
         WHERE monitor_id = (SELECT id FROM monitors WHERE slug = ?) ORDER BY id DESC LIMIT 1`,
      )
      .get(slug) as Record<string, unknown>;
  const call = (path: string, init: RequestInit = {}) => fetch(`${daemon.url}${path}`, init);

  it('answers 200 OK with a Ping-Body-Limit header and stores the ping', async () => {
    const res = await call(`/ping/${TOKEN}`, { headers: { 'user-agent': 'runitor/1.2' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('OK');
    expect(res.headers.get('ping-body-limit')).toBe('100');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(lastPing('backup')).toMatchObject({
      kind: 'success',
      method: 'GET',
      user_agent: 'runitor/1.2',
      remote_addr: '127.0.0.1',
    });
  });

  it.each([
    ['', 'success', null],
    ['/start', 'start', null],
    ['/fail', 'fail', null],
    ['/log', 'log', null],
    ['/0', 'success', 0],
    ['/1', 'fail', 1],
    ['/255', 'fail', 255],
  ])(
    'maps %s on the token and on the ping-key URL to a %s ping',
    async (suffix, kind, exitStatus) => {
      for (const path of [`/ping/${TOKEN}${suffix}`, `/ping/${KEY}/backup${suffix}`]) {
        expect((await call(path)).status).toBe(200);
        expect(lastPing('backup')).toMatchObject({ kind, exit_status: exitStatus });
      }
    },
  );

  it.each([
    [`/ping/${TOKEN}/256`, 400, 'invalid url format'],
    [`/ping/${TOKEN}?rid=not-a-uuid`, 400, 'invalid uuid format'],
    [`/ping/${TOKEN}/bogus`, 404, 'not found'],
    ['/ping/unknown-token', 404, 'not found'],
    [`/ping/${KEY}/nope`, 404, 'not found'],
    [`/ping/wrong-key-0123456789/backup`, 404, 'not found'],
    [`/ping/${KEY}/backup/start/extra`, 404, 'not found'],
    ['/ping/', 404, 'not found'],
    ['/nothing-here', 404, 'not found'],
  ])('answers %s with %i %s', async (path, status, text) => {
    const res = await call(path);
    expect(res.status).toBe(status);
    expect(await res.text()).toBe(text);
  });

  it('pairs a start and its end by rid and records the run time', async () => {
    await call(`/ping/${TOKEN}/start?rid=${RID}`);
    expect(lastPing('backup')).toMatchObject({ kind: 'start', run_id: RID });
    await call(`/ping/${TOKEN}?rid=${RID}`);
    expect(lastPing('backup')).toMatchObject({ kind: 'success', run_id: RID });
    expect(lastPing('backup').duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('keeps a POST body as output, cut at the body limit', async () => {
    await call(`/ping/${TOKEN}`, { method: 'POST', body: 'x'.repeat(150) });
    expect(lastPing('backup')).toMatchObject({ method: 'POST' });
    expect((lastPing('backup').body as Buffer).toString()).toBe('x'.repeat(100));
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const res = await call(`/ping/${TOKEN}`, {
      method: 'POST',
      body: Buffer.alloc(1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
  });

  it('answers HEAD with headers and no body', async () => {
    const res = await call(`/ping/${TOKEN}`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(lastPing('backup')).toMatchObject({ method: 'HEAD' });
  });

  it('refuses other methods with 405', async () => {
    expect((await call(`/ping/${TOKEN}`, { method: 'DELETE' })).status).toBe(405);
  });

  it('ignores X-Forwarded-For unless configured to trust a proxy', async () => {
    await new Promise<void>((resolve) => {
      const req = request(
        `${daemon.url}/ping/${KEY}/proxied`,
        { headers: { 'x-forwarded-for': '203.0.113.9' } },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.end();
    });
    expect(lastPing('proxied')).toMatchObject({ remote_addr: '127.0.0.1' });
  });

  it('answers /healthz while the database works', async () => {
    const res = await call('/healthz');
    expect(res.status).toBe(200);
  });
});
