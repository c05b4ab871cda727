// Security of the HTTP surface: what needs a token, token rotation, failed lookups rate-limited
// per address, and how tokens are generated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { FailureLimiter } from '../../src/http/rate-limit.js';
import { newToken } from '../../src/engine/provisioning.js';
import { configYaml, TEST_PING_KEY as KEY } from '../helpers/config-yaml.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempDir } from '../helpers/temp.js';

const API = 'security-api-token-0123456789';
const TOKEN = 'security-token-0123456789ab';
const OLD = 'security-old-token-0123456789';
const WRONG = 'security-wrong-token-01234567';

interface Call {
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/**
 * Every route that needs a secret, with how the secret is given and what it answers with and
 * without it. Routes made public by config are left out. Add a route here and it is checked
 * against a right, a wrong and a missing secret.
 */
const PROTECTED: readonly {
  readonly route: string;
  readonly call: (secret: string) => Call;
  readonly ok: number;
  readonly denied: number;
  readonly secret: string;
}[] = [
  {
    route: 'GET /ping/<token>',
    call: (t) => get(`/ping/${t}`),
    ok: 200,
    denied: 404,
    secret: TOKEN,
  },
  {
    route: 'GET /ping/<ping-key>/<slug>',
    call: (k) => get(`/ping/${k}/job`),
    ok: 200,
    denied: 404,
    secret: KEY,
  },
  {
    route: 'GET /api/push/<token>',
    call: (t) => get(`/api/push/${t}`),
    ok: 200,
    denied: 404,
    secret: TOKEN,
  },
  { route: 'GET /hb/<token>', call: (t) => get(`/hb/${t}`), ok: 200, denied: 404, secret: TOKEN },
  {
    route: 'GET /heartbeat/<token>',
    call: (t) => get(`/heartbeat/${t}`),
    ok: 200,
    denied: 404,
    secret: TOKEN,
  },
  {
    route: 'POST /v1/heartbeats/<token>/ping',
    call: (t) => post(`/v1/heartbeats/${t}/ping`),
    ok: 200,
    denied: 404,
    secret: TOKEN,
  },
  {
    route: 'POST /api/v1/endpoints/<slug>/external (Bearer token)',
    call: (t) => post('/api/v1/endpoints/job/external?success=true', bearer(t)),
    ok: 200,
    denied: 401,
    secret: TOKEN,
  },
  {
    route: 'POST /v1/heartbeats (Bearer api-token)',
    call: (t) => post('/v1/heartbeats', bearer(t), '{"name":"created","interval_secs":60}'),
    ok: 201,
    denied: 401,
    secret: API,
  },
  {
    route: 'GET /api/v1/monitors (Bearer api-token)',
    call: (t) => ({ method: 'GET', path: '/api/v1/monitors', headers: bearer(t) }),
    ok: 200,
    denied: 401,
    secret: API,
  },
  {
    route: 'POST /api/v1/monitors/<slug>/snooze (Bearer api-token)',
    call: (t) => post('/api/v1/monitors/job/snooze?for=1m', bearer(t)),
    ok: 200,
    denied: 401,
    secret: API,
  },
  {
    route: 'GET /metrics (Bearer api-token)',
    call: (t) => ({ method: 'GET', path: '/metrics', headers: bearer(t) }),
    ok: 200,
    denied: 401,
    secret: API,
  },
  {
    route: 'GET / (the status page; without a credential, the login form)',
    call: (t) => ({ method: 'GET', path: '/', headers: bearer(t) }),
    ok: 200,
    denied: 303,
    secret: API,
  },
];

function get(path: string): Call {
  return { method: 'GET', path };
}

function post(path: string, headers: Record<string, string> = {}, body?: string): Call {
  return { method: 'POST', path, headers, ...(body === undefined ? {} : { body }) };
}

function bearer(token: string): Record<string, string> {
  return token === '' ? {} : { authorization: `Bearer ${token}` };
}

const yaml = (token: string | readonly string[]) =>
  configYaml({
    server: { 'api-token': API, 'trust-proxy': true },
    'auto-provision': { enabled: true },
    monitors: { job: { every: '1h', token } },
  });

describe('security', () => {
  const dir = tempDir();
  const clock = new FakeClock(Date.parse('2026-03-01T00:00:00Z'));
  let daemon: Daemon;
  let address = 0;
  beforeAll(async () => {
    daemon = await startDaemon(configFrom(dir.path, yaml([TOKEN, OLD])), clock);
  });
  afterAll(async () => {
    await daemon.close();
    dir.remove();
  });

  /** Each call comes from its own address (the daemon trusts X-Forwarded-For) unless given one. */
  const send = (c: Call, from = `198.51.100.${++address % 250}`) =>
    fetch(`${daemon.url}${c.path}`, {
      method: c.method,
      headers: { 'x-forwarded-for': from, ...c.headers },
      redirect: 'manual',
      ...(c.body === undefined ? {} : { body: c.body }),
    });

  describe.each(PROTECTED)('$route', ({ call, ok, denied, secret }) => {
    it('answers a request with the right secret', async () => {
      expect((await send(call(secret))).status).toBe(ok);
    });

    it('refuses a request with a wrong or missing secret', async () => {
      expect((await send(call(WRONG))).status).toBe(denied);
      expect((await send(call(''))).status).toBe(denied);
    });
  });

  describe('token rotation', () => {
    it('accepts the old and the new token while both are listed, on every kind of URL', async () => {
      for (const token of [TOKEN, OLD]) {
        expect((await send(get(`/ping/${token}`))).status).toBe(200);
        const gatus = post('/api/v1/endpoints/job/external?success=true', bearer(token));
        expect((await send(gatus)).status).toBe(200);
      }
    });

    it('keeps the monitor and its history when the old token is removed, refusing only that one', async () => {
      const before = daemon.monitors.bySlug('job')?.id;
      await daemon.reload(configFrom(dir.path, yaml(TOKEN)));
      expect((await send(get(`/ping/${OLD}`))).status).toBe(404);
      expect((await send(get(`/ping/${TOKEN}`))).status).toBe(200);
      expect(daemon.monitors.bySlug('job')?.id).toBe(before);
      await daemon.reload(configFrom(dir.path, yaml([TOKEN, OLD])));
    });
  });

  describe('failed token lookups', () => {
    const scanner = '203.0.113.66';

    it('are answered 429 with Retry-After once an address has made 20 of them at once', async () => {
      for (let i = 0; i < 20; i++)
        expect((await send(get(`/ping/${WRONG}${i}`), scanner)).status).toBe(404);
      const res = await send(get(`/ping/${WRONG}`), scanner);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('1');
    });

    it('never refuse a ping with a valid token, from the same address either', async () => {
      expect((await send(get(`/ping/${TOKEN}`), scanner)).status).toBe(200);
      expect((await send(get(`/hb/${OLD}`), scanner)).status).toBe(200);
    });

    it('are counted per address, and each second allows one more', async () => {
      expect((await send(get(`/ping/${WRONG}`), '203.0.113.67')).status).toBe(404);
      expect((await send(get(`/ping/${WRONG}`), scanner)).status).toBe(429);
      clock.advance(1_000);
      expect((await send(get(`/ping/${WRONG}`), scanner)).status).toBe(404);
      expect((await send(get(`/ping/${WRONG}`), scanner)).status).toBe(429);
    });

    it('on the status page login are limited too', async () => {
      const attempt = () =>
        send(
          post(
            '/login',
            { 'content-type': 'application/x-www-form-urlencoded' },
            `token=${WRONG}&next=/`,
          ),
          '203.0.113.70',
        );
      for (let i = 0; i < 20; i++) expect((await attempt()).status).toBe(401);
      const limited = await attempt();
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).not.toBeNull();
    });

    it('on the read API are limited too', async () => {
      const attempt = () =>
        send({ method: 'GET', path: '/api/v1/monitors', headers: bearer(WRONG) }, '203.0.113.69');
      for (let i = 0; i < 20; i++) expect((await attempt()).status).toBe(401);
      expect((await attempt()).status).toBe(429);
    });

    it('on the management API are limited too', async () => {
      const attempt = () => send(post('/v1/heartbeats', bearer(WRONG), '{}'), '203.0.113.68');
      for (let i = 0; i < 20; i++) expect((await attempt()).status).toBe(401);
      expect((await attempt()).status).toBe(429);
    });
  });
});

describe('the failure limiter', () => {
  it('remembers a bounded number of addresses during a scan from many', () => {
    const limiter = new FailureLimiter({ burst: 2, refillMs: 1_000, maxAddresses: 100 });
    for (let i = 0; i < 10_000; i++) limiter.fail(`10.0.${i >> 8}.${i & 255}`, 0);
    expect(limiter.size).toBe(100);
  });

  it('gives nothing back when the wall clock jumps backwards', () => {
    const limiter = new FailureLimiter({ burst: 1, refillMs: 1_000, maxAddresses: 10 });
    expect(limiter.fail('a', 10_000).retryAfterMs).toBe(0);
    expect(limiter.fail('a', 5_000).retryAfterMs).toBe(1_000);
    expect(limiter.fail('a', 6_000).retryAfterMs).toBe(0);
  });
});

describe('generated tokens', () => {
  it('carry at least 128 bits of randomness and never repeat', () => {
    const tokens = Array.from({ length: 10_000 }, () => newToken());
    for (const token of tokens.slice(0, 100)) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{22,}$/);
      expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    // Every one of the 64 base64url characters shows up in the first position's 6 bits.
    expect(new Set(tokens.map((t) => t[0])).size).toBe(64);
  });
});
