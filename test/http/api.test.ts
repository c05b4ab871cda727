// The JSON API through a real daemon on 127.0.0.1:0 with a real SQLite file; time is a fake clock.
import { describe, expect, it } from 'vitest';
import { daemonFixture } from '../helpers/daemon.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const KEY = 'test-ping-key-0123456789';
const API = 'api-token-0123456789abcdef';
const READ = 'read-token-0123456789abcdef';
const METRICS = 'metrics-token-0123456789abc';

describe('read API', () => {
  const t = daemonFixture(T0);

  const start = async (
    server = `  api-token: ${API}\n  read-token: ${READ}\n  metrics-token: ${METRICS}`,
  ) => {
    const yaml = `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  ping-key: ${KEY}
${server}
hooks:
  log:
    command: 'true'
monitors:
  backup:
    name: Nightly backup
    every: 1h
    grace: 5m
    tags: [db]
    notify: [log]
  worker:
    every: 5m
`;
    await t.start(yaml);
  };
  const get = (path: string, token: string | null = READ, headers: Record<string, string> = {}) =>
    fetch(`${t.daemon?.url}${path}`, {
      headers: token === null ? headers : { authorization: `Bearer ${token}`, ...headers },
    });
  const post = (path: string, token: string | null = API, body?: string) =>
    fetch(`${t.daemon?.url}${path}`, {
      method: 'POST',
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body }),
    });
  const json = async (r: Response) => (await r.json()) as Record<string, unknown>;
  const ping = async (n: number) => {
    for (let i = 0; i < n; i++) {
      t.clock.advance(1_000);
      expect((await fetch(`${t.daemon?.url}/ping/${KEY}/backup`)).status).toBe(200);
    }
  };

  it('answers 401 with WWW-Authenticate when no token is sent', async () => {
    await start();
    const r = await get('/api/v1/monitors', null);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await json(r)).error).toMatch(/Authorization: Bearer/);
  });

  it('answers 401 to a wrong token', async () => {
    await start();
    expect((await get('/api/v1/monitors', 'wrong-token-0123456789abcd')).status).toBe(401);
  });

  it('answers 401 to the metrics token, which opens only /metrics', async () => {
    await start();
    expect((await get('/api/v1/monitors', METRICS)).status).toBe(401);
    expect((await get('/metrics', METRICS)).status).toBe(200);
  });

  it('says which config key to set when no token is configured', async () => {
    await start('');
    const r = await get('/api/v1/monitors', null);
    expect(r.status).toBe(401);
    expect((await json(r)).error).toMatch(/set server\.api-token or server\.read-token/);
  });

  it('lists every monitor in config order, in snake_case with ISO times, to the read token', async () => {
    await start();
    await ping(1);
    const body = await json(await get('/api/v1/monitors'));
    const monitors = body.monitors as Record<string, unknown>[];
    expect(monitors.map((m) => m.slug)).toEqual(['backup', 'worker']);
    expect(monitors[0]).toMatchObject({
      name: 'Nightly backup',
      status: 'up',
      tags: ['db'],
      schedule: 'every 1h',
      grace_ms: 300_000,
      last_ping_at: '2026-05-01T10:00:01.000Z',
      next_deadline_at: '2026-05-01T11:00:01.000Z',
      snoozed_until: null,
      recent: [{ at: '2026-05-01T10:00:01.000Z', kind: 'success' }],
    });
  });

  it('gives the schedule as structured fields beside its display string', async () => {
    await start();
    const { monitor } = await json(await get('/api/v1/monitors/backup'));
    expect(monitor).toMatchObject({
      every: '1h',
      cron: null,
      timezone: null,
      grace: '5m',
      grace_ms: 300_000,
      max_runtime: '5m',
      max_runtime_ms: 300_000,
    });
  });

  it('shows when the last success was and how long the last run took', async () => {
    await start();
    expect((await fetch(`${t.daemon?.url}/ping/${KEY}/backup/start`)).status).toBe(200);
    t.clock.advance(2_500);
    expect((await fetch(`${t.daemon?.url}/ping/${KEY}/backup`)).status).toBe(200);
    t.clock.advance(1_000);
    expect((await fetch(`${t.daemon?.url}/ping/${KEY}/backup/fail`)).status).toBe(200);
    const { monitor } = await json(await get('/api/v1/monitors/backup'));
    expect(monitor).toMatchObject({
      last_ping_at: '2026-05-01T10:00:03.500Z',
      last_success_at: '2026-05-01T10:00:02.500Z',
      last_duration_ms: 2_500,
    });
  });

  it('answers one monitor as {"monitor": …}, the shape pause, resume and snooze answer', async () => {
    await start();
    const one = await json(await get('/api/v1/monitors/backup'));
    const paused = await json(await post('/api/v1/monitors/backup/pause'));
    const keys = (o: Record<string, unknown>) => Object.keys(o.monitor as object).sort();
    expect(keys(one)).toEqual(expect.arrayContaining(keys(paused)));
    expect(one.monitor).toMatchObject({ slug: 'backup', status: 'new' });
  });

  it('still sends the camelCase names of 0.1, deprecated, beside the snake_case ones', async () => {
    await start();
    await ping(1);
    const one = await json(await get('/api/v1/monitors/backup'));
    expect(one).toMatchObject({ slug: 'backup', graceMs: 300_000 });
    expect(one.lastPingAt).toBe('2026-05-01T10:00:01.000Z');
    expect(one.monitor).toMatchObject({ graceMs: 300_000, lastPingAt: '2026-05-01T10:00:01.000Z' });
    const page = await json(await get('/api/v1/monitors/backup/pings'));
    expect((page.items as object[])[0]).toMatchObject({ exit_status: null, exitStatus: null });
  });

  /** The cookie of a status page login with `token`. */
  const session = async (token: string) => {
    const res = await fetch(`${t.daemon?.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, next: '/' }).toString(),
      redirect: 'manual',
    });
    return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  };

  it('takes the token as a Basic password, or the status page login cookie', async () => {
    await start();
    const basic = `Basic ${Buffer.from(`any:${READ}`).toString('base64')}`;
    expect((await get('/api/v1/monitors', null, { authorization: basic })).status).toBe(200);
    const cookie = `a=b; ${await session(READ)}`;
    expect((await get('/api/v1/monitors', null, { cookie })).status).toBe(200);
  });

  it('refuses a change carried only by the cookie from another site', async () => {
    await start();
    const cookie = { cookie: await session(API) };
    const from = (origin: string) =>
      fetch(`${t.daemon?.url}/api/v1/monitors/backup/pause`, {
        method: 'POST',
        headers: { ...cookie, origin },
      });
    expect((await from('https://evil.example.com')).status).toBe(403);
    expect((await from(t.daemon?.url ?? '')).status).toBe(200);
  });

  it('opens reading, never writing, to anyone when the api is public', async () => {
    await start(`  api-token: ${API}\n  public: [api]`);
    expect((await get('/api/v1/monitors/backup', null)).status).toBe(200);
    expect((await post('/api/v1/monitors/backup/pause', null)).status).toBe(401);
  });

  it('shows ping URLs only to the api token, and badge URLs to any reader', async () => {
    await start();
    const read = (await json(await get('/api/v1/monitors/backup'))).monitor as Record<
      string,
      unknown
    >;
    expect(read.ping_urls).toBeUndefined();
    expect((read.badge_urls as { svg: string }).svg).toMatch(/\/badge\/[A-Za-z0-9_-]{22}\.svg$/);
    const full = (await json(await get('/api/v1/monitors/backup', API))).monitor as Record<
      string,
      unknown
    >;
    expect(full.ping_urls).toEqual([`${t.daemon?.url}/ping/${KEY}/backup`]);
  });

  it('answers 404 for an unknown monitor, its history and its actions', async () => {
    await start();
    for (const path of ['', '/pings', '/transitions', '/deliveries']) {
      const r = await get(`/api/v1/monitors/nope${path}`);
      expect(r.status).toBe(404);
      expect((await json(r)).error).toBe("no monitor 'nope'");
    }
    expect((await post('/api/v1/monitors/nope/pause')).status).toBe(404);
    expect((await get('/api/v1/nothing-here')).status).toBe(404);
    expect((await post('/api/v1/monitors/backup/nothing')).status).toBe(404);
  });

  it('pages pings newest first, following the next cursor to the end', async () => {
    await start();
    await ping(5);
    const seen: string[] = [];
    let path = '/api/v1/monitors/backup/pings?limit=2';
    for (let pages = 0; pages < 5; pages++) {
      const page = await json(await get(path));
      seen.push(...(page.items as { at: string }[]).map((p) => p.at.slice(11, 19)));
      if (page.next === null) break;
      path = `/api/v1/monitors/backup/pings?limit=2&before=${page.next as number}`;
    }
    expect(seen).toEqual(['10:00:05', '10:00:04', '10:00:03', '10:00:02', '10:00:01']);
  });

  it.each(['limit=0', 'limit=501', 'limit=abc', 'before=-1', 'before=x'])(
    'answers 400 to %s',
    async (query) => {
      await start();
      const r = await get(`/api/v1/monitors/backup/pings?${query}`);
      expect(r.status).toBe(400);
      expect(typeof (await json(r)).error).toBe('string');
    },
  );

  it('answers 403 to the read token on a write endpoint', async () => {
    await start();
    const r = await post('/api/v1/monitors/backup/pause', READ);
    expect(r.status).toBe(403);
    expect((await json(r)).error).toMatch(/api-token/);
  });

  it('pauses, refuses a second pause with 409, resumes, and records both as transitions', async () => {
    await start();
    await ping(1);
    const paused = await json(await post('/api/v1/monitors/backup/pause'));
    expect(paused.monitor).toMatchObject({ status: 'paused', next_deadline_at: null });
    expect((await post('/api/v1/monitors/backup/pause')).status).toBe(409);
    t.clock.advance(60_000);
    const resumed = await json(await post('/api/v1/monitors/backup/resume'));
    expect(resumed.monitor).toMatchObject({
      status: 'up',
      next_deadline_at: '2026-05-01T11:01:01.000Z',
    });
    expect((await post('/api/v1/monitors/backup/resume')).status).toBe(409);
    const page = await json(await get('/api/v1/monitors/backup/transitions'));
    expect((page.items as { reason: string; to: string }[]).map((t) => [t.reason, t.to])).toEqual([
      ['resume', 'up'],
      ['pause', 'paused'],
      ['ping', 'up'],
    ]);
  });

  it('snoozes for a duration given in the body or the query, at most 30 days', async () => {
    await start();
    const body = await json(await post('/api/v1/monitors/backup/snooze', API, '{"for":"2h"}'));
    expect(body.monitor).toMatchObject({ snoozed_until: '2026-05-01T12:00:00.000Z' });
    const query = await json(await post('/api/v1/monitors/worker/snooze?for=30d'));
    expect(query.monitor).toMatchObject({ snoozed_until: '2026-05-31T10:00:00.000Z' });
    for (const bad of ['?for=31d', '?for=soon', '']) {
      expect((await post(`/api/v1/monitors/backup/snooze${bad}`)).status).toBe(400);
    }
  });

  it('answers a snooze body over 16 KiB with 413', async () => {
    await start();
    const res = await post(
      '/api/v1/monitors/backup/snooze',
      API,
      `{"for":"${'x'.repeat(20_000)}"}`,
    );
    expect(res.status).toBe(413);
  });

  it('lists deliveries of a monitor, newest first, with their hook and result', async () => {
    await start();
    await ping(1);
    t.clock.advance(65 * 60_000);
    await t.daemon?.dispatcher.idle();
    const page = await json(await get('/api/v1/monitors/backup/deliveries'));
    expect(page.next).toBeNull();
    expect(page.items).toEqual([
      expect.objectContaining({
        hook: 'log',
        ok: true,
        permanent: false,
        status_code: null,
        duration_ms: expect.any(Number) as number,
        error: null,
      }),
    ]);
    const down = await json(await get('/api/v1/monitors/backup/transitions?limit=1'));
    const [transition] = down.items as { id: number; alert: string }[];
    expect(transition?.alert).toBe('down');
    expect((page.items as { transition_id: number }[])[0]?.transition_id).toBe(transition?.id);
  });
});
