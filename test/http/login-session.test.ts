// The status page's login cookie holds a session id, not the api-token: random, kept in memory
// with an expiry, ended by logging out, and by rotating the token it was opened with.
import { describe, expect, it } from 'vitest';
import { configYaml } from '../helpers/config-yaml.js';
import { configFrom, daemonFixture } from '../helpers/daemon.js';

const API = 'session-api-token-0123456789';
const READ = 'session-read-token-0123456789';

describe('the login session', () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));
  const yaml = (api = API) =>
    configYaml({
      server: { 'api-token': api, 'read-token': READ },
      monitors: { job: { every: '1h' } },
    });
  const url = (path: string) => `${t.daemon?.url}${path}`;
  const logIn = async (token = API) => {
    const res = await fetch(url('/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, next: '/' }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  };
  const page = (cookie: string) => fetch(url('/'), { headers: { cookie }, redirect: 'manual' });

  it('keeps a random session id in the cookie, never the token', async () => {
    await t.start(yaml());
    const cookie = await logIn();
    expect(cookie).toMatch(/^overdue_session=[A-Za-z0-9_-]{32,}$/);
    expect(cookie).not.toContain(API);
    expect(cookie).not.toContain(encodeURIComponent(API));
    expect(await logIn()).not.toBe(cookie);
    expect((await page(cookie)).status).toBe(200);
  });

  it('gives the session the access of its token: the api-token may pause from the page', async () => {
    await t.start(yaml());
    const cookie = await logIn();
    const res = await fetch(url('/monitors/job/pause'), {
      method: 'POST',
      headers: { cookie, origin: t.daemon?.url ?? '' },
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(t.daemon?.monitors.bySlug('job')?.state.status).toBe('paused');
    const reader = await logIn(READ);
    expect((await fetch(url('/api/v1/monitors'), { headers: { cookie: reader } })).status).toBe(
      200,
    );
  });

  it('gives nothing to a cookie that holds a token instead of a session', async () => {
    await t.start(yaml());
    for (const name of ['overdue_session', 'overdue_token']) {
      const cookie = `${name}=${encodeURIComponent(API)}`;
      expect((await page(cookie)).status).toBe(303);
      const api = await fetch(url('/api/v1/monitors'), { headers: { cookie } });
      expect(api.status).toBe(401);
    }
  });

  it('ends the session when the token it was opened with is rotated', async () => {
    await t.start(yaml());
    const cookie = await logIn();
    const reader = await logIn(READ);
    await t.daemon?.reload(configFrom(t.dir.path, yaml('rotated-api-token-0123456789')));
    expect((await page(cookie)).status).toBe(303);
    expect((await page(reader)).status).toBe(200);
  });

  it('ends the session at logout, on the server too', async () => {
    await t.start(yaml());
    const cookie = await logIn();
    const out = await fetch(url('/logout'), {
      method: 'POST',
      headers: { cookie, origin: t.daemon?.url ?? '' },
      redirect: 'manual',
    });
    expect(out.status).toBe(303);
    expect((await page(cookie)).status).toBe(303);
  });

  it('ends the session when it expires, after 30 days', async () => {
    await t.start(yaml());
    const cookie = await logIn();
    t.clock.advance(30 * 86_400_000 - 1_000);
    expect((await page(cookie)).status).toBe(200);
    t.clock.advance(2_000);
    expect((await page(cookie)).status).toBe(303);
  });
});
