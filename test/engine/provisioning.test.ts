// Auto-provisioning: monitors created by a ping or the API live in the database, survive restarts,
// and are handed over to the config with `overdue export`; the config always wins.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Daemon } from '../../src/daemon.js';
import { exportYaml } from '../../src/engine/provisioning.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const KEY = 'provision-ping-key-0123';
const API = 'provision-api-token-0123456789';

describe('auto-provisioning', () => {
  let dir: ReturnType<typeof tempDir>;
  let daemon: Daemon | undefined;
  const clock = new FakeClock(Date.parse('2026-05-01T10:00:00Z'));
  beforeEach(() => (dir = tempDir()));
  afterEach(async () => {
    await daemon?.close();
    daemon = undefined;
    dir.remove();
  });

  const yaml = (enabled = true, monitors = '  existing:\n    every: 1h\n') => `
server:
  listen: 127.0.0.1:0
  ping-key: ${KEY}
  api-token: ${API}
auto-provision:
  enabled: ${enabled}
  every: 1d
  grace: 1h
monitors:
${monitors}`;
  const start = async (text = yaml()) =>
    (daemon = await startDaemon(configFrom(dir.path, text), clock));
  const call = (path: string, init: RequestInit = {}) => fetch(`${daemon?.url}${path}`, init);
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
    expect(daemon?.monitors.bySlug('new-job')?.config).toMatchObject({
      provisioned: true,
      schedule: { kind: 'every', periodMs: 86_400_000 },
      graceMs: 3_600_000,
    });
    expect(daemon?.monitors.bySlug('new-job')?.state.status).toBe('up');
    expect((await call(`/ping/${KEY}/new-job/start?create=1`)).status).toBe(200);
  });

  it('creates nothing when auto-provisioning is off, or for an invalid slug', async () => {
    await start(yaml(false));
    expect((await call(`/ping/${KEY}/new-job?create=1`)).status).toBe(404);
    await daemon?.close();
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
    expect(body.ping_url).toBe(`${daemon?.url}/ping/${body.token}`);
    expect((await fetch(body.ping_url)).status).toBe(200);
    const again = (await (
      await create({ name: 'Nightly DB backup', interval_secs: 60 })
    ).json()) as { slug: string };
    expect(again.slug).toBe('nightly-db-backup-2');
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
    await daemon?.close();
    await start();
    expect(daemon?.monitors.bySlug('waiting')?.config.provisioned).toBe(true);
    const exported = exportYaml(
      daemon?.config ?? (undefined as never),
      daemon?.store.provisioned() ?? [],
    );
    expect(Object.keys((parse(exported) as { monitors: object }).monitors)).toEqual([
      'adopted',
      'waiting',
    ]);
    daemon?.reload(
      configFrom(dir.path, yaml(true, '  existing:\n    every: 1h\n  adopted:\n    every: 5m\n')),
    );
    expect(daemon?.monitors.bySlug('adopted')?.config).toMatchObject({
      provisioned: false,
      schedule: { periodMs: 300_000 },
    });
    expect(daemon?.monitors.bySlug('adopted')?.state.lastPingAt).not.toBeNull();
    const after = exportYaml(
      daemon?.config ?? (undefined as never),
      daemon?.store.provisioned() ?? [],
    );
    expect(Object.keys((parse(after) as { monitors: object }).monitors)).toEqual(['waiting']);
  });

  it('exports YAML that, pasted under monitors:, is a valid config with the same tokens', async () => {
    await start();
    const { token } = (await (
      await create({ name: 'etl', interval_secs: 600, grace_secs: 60 })
    ).json()) as { token: string };
    const exported = exportYaml(
      daemon?.config ?? (undefined as never),
      daemon?.store.provisioned() ?? [],
    );
    const pasted = yaml(true, exported.split('monitors:\n')[1] ?? '');
    const config = configFrom(dir.path, pasted);
    expect(config.monitors.get('etl')).toMatchObject({
      token,
      tokens: [token],
      schedule: { periodMs: 600_000 },
      graceMs: 60_000,
    });
  });
});
