// Tickstem's heartbeat API beyond create and ping, as its Node SDK (@tickstem/heartbeat) calls it:
// GET /v1/heartbeats ({heartbeats}), GET /v1/heartbeats/<id>, POST .../pause and .../resume,
// GET .../pings?limit= ({pings}); PATCH and DELETE refused for the config's monitors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configYaml } from '../helpers/config-yaml.js';
import { daemonFixture } from '../helpers/daemon.js';

const API = 'tickstem-api-token-0123456789';
const TOKEN = 'sync-token-0123456789abcdef';

describe("Tickstem's heartbeat API", () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));
  const start = () =>
    t.start(
      configYaml({
        server: { 'api-token': API },
        'auto-provision': { enabled: true, every: '1d', grace: '1h' },
        monitors: {
          'nightly-sync': { name: 'nightly sync', every: '1d', grace: '1h', token: TOKEN },
          report: { cron: '0 6 * * *' },
        },
      }),
    );
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${t.daemon?.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("lists and gets heartbeats in the SDK's Heartbeat shape", async () => {
    const daemon = await start();
    await fetch(`${daemon.url}/v1/heartbeats/${TOKEN}/ping`, { method: 'POST' });
    const list = await call('GET', '/v1/heartbeats');
    expect(list.status).toBe(200);
    const beats = list.body.heartbeats as Record<string, unknown>[];
    expect(beats.map((b) => b.id)).toEqual(['nightly-sync', 'report']);
    expect(beats[1]).toMatchObject({ interval_secs: 86400, status: 'active' });
    const one = await call('GET', '/v1/heartbeats/nightly-sync');
    expect(one.body).toMatchObject({
      id: 'nightly-sync',
      name: 'nightly sync',
      token: TOKEN,
      interval_secs: 86400,
      grace_secs: 3600,
      status: 'active',
      consecutive_misses: 0,
      last_pinged_at: '2026-05-01T10:00:00.000Z',
    });
  });

  it('pauses and resumes, and lists pings newest first with ?limit=', async () => {
    const daemon = await start();
    for (let i = 0; i < 3; i++)
      await fetch(`${daemon.url}/v1/heartbeats/${TOKEN}/ping`, { method: 'POST' });
    const pings = await call('GET', '/v1/heartbeats/nightly-sync/pings?limit=2');
    expect(pings.body.pings).toHaveLength(2);
    expect((pings.body.pings as Record<string, unknown>[])[0]).toMatchObject({
      heartbeat_id: 'nightly-sync',
    });
    expect((await call('POST', '/v1/heartbeats/nightly-sync/pause')).body.status).toBe('paused');
    expect(daemon.monitors.bySlug('nightly-sync')?.state.status).toBe('paused');
    expect((await call('POST', '/v1/heartbeats/nightly-sync/resume')).body.status).toBe('active');
  });

  it('refuses PATCH and DELETE of a monitor of the config with 403 naming the file', async () => {
    await start();
    for (const method of ['PATCH', 'DELETE']) {
      const res = await call(
        method,
        '/v1/heartbeats/nightly-sync',
        method === 'PATCH' ? { interval_secs: 60 } : undefined,
      );
      expect(res.status).toBe(403);
      expect(String(res.body.error)).toContain(`${t.dir.path}/config.yaml`);
    }
    expect(t.daemon?.monitors.bySlug('nightly-sync')).toBeDefined();
  });

  it('changes a heartbeat auto-provisioning made with PATCH, and the change survives a restart', async () => {
    const daemon = await start();
    const made = await call('POST', '/v1/heartbeats', {
      name: 'weekly report',
      interval_secs: 604800,
    });
    expect(made.status).toBe(201);
    const patched = await call('PATCH', '/v1/heartbeats/weekly-report', {
      interval_secs: 7200,
      grace_secs: 60,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      id: 'weekly-report',
      interval_secs: 7200,
      grace_secs: 60,
    });
    expect(daemon.monitors.bySlug('weekly-report')?.config.schedule).toEqual({
      kind: 'every',
      periodMs: 7_200_000,
    });
    await daemon.close();
    const again = await t.start(readFileSync(`${t.dir.path}/config.yaml`, 'utf8'));
    expect(again.monitors.bySlug('weekly-report')?.config.graceMs).toBe(60_000);
    expect((await call('PATCH', '/v1/heartbeats/weekly-report', { interval_secs: 0 })).status).toBe(
      400,
    );
  });

  it('deletes a heartbeat auto-provisioning made: it stops being watched, and stays gone after a restart', async () => {
    const daemon = await start();
    const made = await call('POST', '/v1/heartbeats', { name: 'one off', interval_secs: 60 });
    const res = await fetch(`${daemon.url}/v1/heartbeats/one-off`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${API}` },
    });
    expect(res.status).toBe(204);
    expect(daemon.monitors.bySlug('one-off')).toBeUndefined();
    expect((await fetch(`${daemon.url}/ping/${String(made.body.token)}`)).status).toBe(404);
    await daemon.close();
    const again = await t.start(readFileSync(`${t.dir.path}/config.yaml`, 'utf8'));
    expect(again.monitors.bySlug('one-off')).toBeUndefined();
  });

  it('refuses a change carried only by the login cookie from another site, as its own API does', async () => {
    const daemon = await start();
    const login = await fetch(`${daemon.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: API, next: '/' }).toString(),
      redirect: 'manual',
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const pause = (origin: string) =>
      fetch(`${daemon.url}/v1/heartbeats/nightly-sync/pause`, {
        method: 'POST',
        headers: { cookie, origin },
      });
    expect((await pause('https://evil.example.com')).status).toBe(403);
    expect((await call('GET', '/v1/heartbeats/nightly-sync')).body.status).toBe('active');
    expect((await pause(daemon.url)).status).toBe(200);
  });

  it('answers 401 without the api-token and 404 for an unknown heartbeat', async () => {
    const daemon = await start();
    expect((await fetch(`${daemon.url}/v1/heartbeats`)).status).toBe(401);
    expect((await call('GET', '/v1/heartbeats/nope')).status).toBe(404);
  });
});
