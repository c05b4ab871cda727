// A second POST /v1/heartbeats with a name that exists must not make `name-2` silently: it answers
// 409 with the existing monitor, or, with Healthchecks' `"unique": ["name"]`, 200 and that monitor.
import { describe, expect, it } from 'vitest';
import { configYaml } from '../helpers/config-yaml.js';
import { daemonFixture } from '../helpers/daemon.js';

const API = 'provision-api-token-0123456789';

describe('POST /v1/heartbeats with a name that exists', () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));
  const start = () =>
    t.start(
      configYaml({
        server: { 'api-token': API },
        'auto-provision': { enabled: true, every: '1d', grace: '1h' },
        monitors: { 'nightly-backup': { every: '1d', token: 'config-token-0123456789abcdef' } },
      }),
    );
  const create = async (body: unknown) => {
    const res = await fetch(`${t.daemon?.url}/v1/heartbeats`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers 409 with the existing monitor and creates nothing', async () => {
    await start();
    const first = await create({ name: 'Weekly report', interval_secs: 604800 });
    expect(first.status).toBe(201);
    const again = await create({ name: 'Weekly report', interval_secs: 60 });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      ok: false,
      monitor: { slug: 'weekly-report', token: first.body.token, interval_secs: 604800 },
    });
    expect(String(again.body.error)).toContain('"unique": ["name"]');
    expect(t.daemon?.monitors.bySlug('weekly-report-2')).toBeUndefined();
  });

  it('answers a name the config owns with 409 too, and never makes name-2', async () => {
    await start();
    const res = await create({ name: 'Nightly backup', interval_secs: 60 });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ monitor: { slug: 'nightly-backup' } });
    expect(t.daemon?.monitors.size).toBe(1);
  });

  it('returns the existing monitor with 200 when the request says "unique": ["name"]', async () => {
    await start();
    const first = await create({ name: 'Weekly report', interval_secs: 604800 });
    const again = await create({ name: 'Weekly report', interval_secs: 60, unique: ['name'] });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ ok: true, slug: 'weekly-report', token: first.body.token });
    const fresh = await create({ name: 'Other job', interval_secs: 60, unique: ['name'] });
    expect(fresh.status).toBe(201);
  });

  it('refuses a unique field other than ["name"] with a 400 that says what it takes', async () => {
    await start();
    const res = await create({ name: 'Job', interval_secs: 60, unique: ['timeout'] });
    expect(res.status).toBe(400);
    expect(String(res.body.error)).toContain('unique');
  });
});
