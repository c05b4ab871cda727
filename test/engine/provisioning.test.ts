// Auto-provisioning: monitors created by a ping or the API live in the database, survive restarts,
// and are handed over to the config with `overdue export`; the config always wins.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportYaml } from '../../src/engine/provisioning.js';
import { configYaml, TEST_PING_KEY as KEY, type Section } from '../helpers/config-yaml.js';
import { configFrom, daemonFixture } from '../helpers/daemon.js';

const API = 'provision-api-token-0123456789';

describe('auto-provisioning', () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));

  const yaml = (enabled = true, monitors: Section = { existing: { every: '1h' } }) =>
    configYaml({
      server: { 'api-token': API },
      'auto-provision': { enabled, every: '1d', grace: '1h' },
      monitors,
    });
  const start = (text = yaml()) => t.start(text);
  const call = (path: string, init: RequestInit = {}) => fetch(`${t.daemon?.url}${path}`, init);
  const create = (body: unknown, token = API) =>
    call('/v1/heartbeats', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('creates a monitor from a ping with ?create=1, answering 201 Created, then 200', async () => {
    await start();
    expect((await call(`/ping/${KEY}/new-job`)).status).toBe(404);
    const res = await call(`/ping/${KEY}/new-job?create=1`);
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('Created');
    expect(t.daemon?.monitors.bySlug('new-job')?.config).toMatchObject({
      provisioned: true,
      schedule: { kind: 'every', periodMs: 86_400_000 },
      graceMs: 3_600_000,
    });
    expect(t.daemon?.monitors.bySlug('new-job')?.state.status).toBe('up');
    expect((await call(`/ping/${KEY}/new-job/start?create=1`)).status).toBe(200);
  });

  it('creates nothing when auto-provisioning is off, or for an invalid slug', async () => {
    await start(yaml(false));
    expect((await call(`/ping/${KEY}/new-job?create=1`)).status).toBe(404);
    await t.daemon?.close();
    await start();
    expect((await call(`/ping/${KEY}/Bad%20Slug?create=1`)).status).toBe(404);
  });

  it('creates a monitor with POST /v1/heartbeats and returns a 128-bit token that pings it', async () => {
    await start();
    const res = await create({ name: 'Nightly DB backup', interval_secs: 3600, grace_secs: 300 });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { slug: string; token: string; ping_url: string };
    expect(body).toMatchObject({
      ok: true,
      slug: 'nightly-db-backup',
      interval_secs: 3600,
      grace_secs: 300,
    });
    expect(Buffer.from(body.token, 'base64url')).toHaveLength(16);
    expect(body.ping_url).toBe(`${t.daemon?.url}/ping/${body.token}`);
    expect((await fetch(body.ping_url)).status).toBe(200);
    // The same name again is the same monitor: 409 with it, never a silent `-2` (provision-unique).
    const again = await create({ name: 'Nightly DB backup', interval_secs: 60 });
    expect(again.status).toBe(409);
  });

  it.each([
    [{ name: 'x', interval_secs: 60 }, 'wrong-token-0123456789', 401],
    [{ interval_secs: 60 }, API, 400],
    [{ name: 'x', interval_secs: 0 }, API, 400],
    [{ name: 'x', interval_secs: 60, grace_secs: -1 }, API, 400],
  ])('refuses %j with token %s: %i', async (body, token, status) => {
    await start();
    expect((await create(body, token)).status).toBe(status);
  });

  it('refuses POST /v1/heartbeats with 403 when auto-provisioning is off', async () => {
    await start(yaml(false));
    expect((await create({ name: 'x', interval_secs: 60 })).status).toBe(403);
  });

  it('keeps provisioned monitors across a restart, and lets the config take one over', async () => {
    await start();
    await call(`/ping/${KEY}/adopted?create=1`);
    await call(`/ping/${KEY}/waiting?create=1`);
    await t.daemon?.close();
    await start();
    expect(t.daemon?.monitors.bySlug('waiting')?.config.provisioned).toBe(true);
    const exported = exportYaml(
      t.daemon?.config ?? (undefined as never),
      t.daemon?.store.provisioned() ?? [],
    );
    expect(Object.keys((parse(exported) as { monitors: object }).monitors)).toEqual([
      'adopted',
      'waiting',
    ]);
    await t.daemon?.reload(
      configFrom(t.dir.path, yaml(true, { existing: { every: '1h' }, adopted: { every: '5m' } })),
    );
    expect(t.daemon?.monitors.bySlug('adopted')?.config).toMatchObject({
      provisioned: false,
      schedule: { periodMs: 300_000 },
    });
    expect(t.daemon?.monitors.bySlug('adopted')?.state.lastPingAt).not.toBeNull();
    const after = exportYaml(
      t.daemon?.config ?? (undefined as never),
      t.daemon?.store.provisioned() ?? [],
    );
    expect(Object.keys((parse(after) as { monitors: object }).monitors)).toEqual(['waiting']);
  });

  it('exports YAML that, pasted under monitors:, is a valid config with the same tokens', async () => {
    await start();
    const { token } = (await (
      await create({ name: 'etl', interval_secs: 600, grace_secs: 60 })
    ).json()) as { token: string };
    const exported = exportYaml(
      t.daemon?.config ?? (undefined as never),
      t.daemon?.store.provisioned() ?? [],
    );
    const pasted = yaml(true, exported.split('monitors:\n')[1] ?? '');
    const config = configFrom(t.dir.path, pasted);
    expect(config.monitors.get('etl')).toMatchObject({
      token,
      tokens: [token],
      schedule: { periodMs: 600_000 },
      graceMs: 60_000,
    });
  });
});
