// Clients of other systems keep working when only the host changes: each route gets the requests
// that system's clients send, and the stored pings and resulting status are checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goDurationMs } from '../../src/http/ping-routes.js';
import type { Daemon } from '../../src/daemon.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const TOKEN = 'compat-token-0123456789abcdef';

describe('compatible ping routes', () => {
  const dir = tempDir();
  let daemon: Daemon;
  beforeAll(async () => {
    daemon = await startDaemon(
      configFrom(
        dir.path,
        `
server:
  listen: 127.0.0.1:0
monitors:
  worker:
    every: 1h
    token: ${TOKEN}
  no-token:
    every: 1h
`,
      ),
    );
  });
  afterAll(async () => {
    await daemon.close();
    dir.remove();
  });

  const call = (path: string, init: RequestInit = {}) => fetch(`${daemon.url}${path}`, init);
  const last = () =>
    daemon.store.db
      .prepare(
        'SELECT kind, exit_status, value, duration_ms, body, method FROM pings ORDER BY id DESC LIMIT 1',
      )
      .get() as {
      kind: string;
      exit_status: number | null;
      value: number | null;
      duration_ms: number | null;
      body: Buffer | null;
      method: string;
    };
  const status = () => daemon.monitors.bySlug('worker')?.state.status;
  const output = () => last().body?.toString() ?? null;

  describe('Uptime Kuma and Tianji push', () => {
    it('records an up push with its message and ping value, answering {"ok":true}', async () => {
      const res = await call(`/api/push/${TOKEN}?status=up&msg=OK&ping=42.5`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
      // One content type, JSON (the answer's headers are built once and reused).
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('ping-body-limit')).toMatch(/^\d+$/);
      expect(last()).toMatchObject({ kind: 'success', value: 42.5 });
      expect(output()).toBe('OK');
      expect(status()).toBe('up');
    });

    it('treats a push without status as success and takes value when given', async () => {
      await call(`/api/push/${TOKEN}?value=7`, { method: 'POST' });
      expect(last()).toMatchObject({ kind: 'success', value: 7, method: 'POST' });
    });

    it('treats any other status as a failure that makes the monitor down', async () => {
      await call(`/api/push/${TOKEN}?status=down&msg=disk%20full`);
      expect(last()).toMatchObject({ kind: 'fail' });
      expect(output()).toBe('disk full');
      expect(status()).toBe('down');
      await call(`/api/push/${TOKEN}`);
      expect(status()).toBe('up');
    });

    it('answers an unknown token like Uptime Kuma', async () => {
      const res = await call('/api/push/nope');
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ ok: false, msg: 'Monitor not found or not active.' });
    });
  });

  describe('/hb heartbeat URLs', () => {
    it('records success, start, and exit codes with the POST body as output', async () => {
      expect((await call(`/hb/${TOKEN}/start`)).status).toBe(200);
      expect(last().kind).toBe('start');
      expect(status()).toBe('running');
      await call(`/hb/${TOKEN}/0`, { method: 'POST', body: 'backup done' });
      expect(last()).toMatchObject({ kind: 'success', exit_status: 0 });
      expect(output()).toBe('backup done');
      await call(`/hb/${TOKEN}/3`, { method: 'POST', body: 'tar: error' });
      expect(last()).toMatchObject({ kind: 'fail', exit_status: 3 });
      expect(status()).toBe('down');
      const res = await call(`/hb/${TOKEN}`);
      expect(await res.text()).toBe('OK');
      expect(status()).toBe('up');
    });

    it('answers 404 for an unknown token and 400 for an exit code above 255', async () => {
      expect((await call('/hb/nope')).status).toBe(404);
      expect((await call(`/hb/${TOKEN}/256`)).status).toBe(400);
    });
  });

  describe('POST /v1/heartbeats/<token>/ping', () => {
    it('records a success and answers JSON', async () => {
      const res = await call(`/v1/heartbeats/${TOKEN}/ping`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
      expect(last()).toMatchObject({ kind: 'success', method: 'POST' });
    });

    it('refuses GET and answers an unknown token with 404', async () => {
      expect((await call(`/v1/heartbeats/${TOKEN}/ping`)).status).toBe(405);
      expect((await call('/v1/heartbeats/nope/ping', { method: 'POST' })).status).toBe(404);
    });
  });

  describe('/heartbeat/<token>', () => {
    it.each(['GET', 'POST', 'HEAD'])('records a success on %s', async (method) => {
      expect((await call(`/heartbeat/${TOKEN}`, { method })).status).toBe(200);
      expect(last()).toMatchObject({ kind: 'success', method });
    });
  });

  describe('Gatus external endpoints', () => {
    const gatus = (query: string, token = TOKEN, slug = 'worker') =>
      call(`/api/v1/endpoints/${slug}/external?${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });

    it('records a success with its duration, answering 200 with an empty body', async () => {
      const res = await gatus('success=true&duration=1.5s');
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
      expect(last()).toMatchObject({ kind: 'success', duration_ms: 1500 });
    });

    it('records a failure with its error as output and makes the monitor down', async () => {
      await gatus('success=false&error=connection%20refused');
      expect(last()).toMatchObject({ kind: 'fail' });
      expect(output()).toBe('connection refused');
      expect(status()).toBe('down');
      await gatus('success=true');
      expect(status()).toBe('up');
    });

    it.each([
      ['success=maybe', TOKEN, 'worker', 400, 'missing or invalid success query parameter'],
      ['success=true', 'wrong-token', 'worker', 401, 'invalid token'],
      ['success=true', TOKEN, 'nope', 401, 'invalid token'], // as a wrong token: slugs stay secret
      ['success=true', TOKEN, 'no-token', 401, 'invalid token'],
      ['success=true&duration=soon', TOKEN, 'worker', 400, 'invalid duration'],
    ])(
      'answers %s with token %s for %s as Gatus does: %i',
      async (query, token, slug, code, text) => {
        const res = await gatus(query, token, slug);
        expect(res.status).toBe(code);
        expect(await res.text()).toBe(text);
      },
    );

    it('refuses a request without a bearer token', async () => {
      const res = await call('/api/v1/endpoints/worker/external?success=true', { method: 'POST' });
      expect(res.status).toBe(401);
    });
  });
});

describe('goDurationMs', () => {
  it.each([
    ['250ms', 250],
    ['1.5s', 1500],
    ['1h2m', 3_720_000],
    ['300us', 0],
    ['.5s', 500],
  ])('reads %s as %i ms', (text, ms) => {
    expect(goDurationMs(text)).toBe(ms);
  });

  it.each(['', 'soon', '5', '1x', '1s ', '-1s'])('rejects %j', (text) => {
    expect(goDurationMs(text)).toBeNaN();
  });
});
