// Healthchecks' management API, read-only: what Homepage's Healthchecks widget requests
// (src/widgets/healthchecks/widget.js: `{url}/api/v3/{endpoint}/{uuid}`, sent by
// utils/proxy/handlers/credentialed.js with `X-API-Key: <key>` and `Content-Type:
// application/json`; component.jsx reads `status` and `last_ping`, or `checks[].status` without a
// uuid) and the fields scripts read.
import { describe, expect, it } from 'vitest';
import { configYaml } from '../helpers/config-yaml.js';
import { daemonFixture } from '../helpers/daemon.js';

const API = 'hc-api-token-0123456789ab';
const READ = 'hc-read-token-0123456789a';
const UUID = '31365bce-8da9-4729-8ff3-aaa71d56b712';
const T0 = Date.parse('2026-05-01T10:00:00Z');
const MIN = 60_000;

type Check = Record<string, unknown>;

describe("Healthchecks' management API", () => {
  const t = daemonFixture(T0);
  const start = () =>
    t.start(
      configYaml({
        server: { 'api-token': API, 'read-token': READ },
        monitors: {
          backup: { name: 'Backup', every: '1h', grace: '10m', tags: ['db', 'prod'], token: UUID },
          report: { cron: '15 5 * * *', timezone: 'Europe/Riga', tags: ['prod'] },
        },
      }),
    );
  const get = async (path: string, key = API) => {
    const res = await fetch(`${t.daemon?.url}${path}`, {
      headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
    });
    return { status: res.status, body: (await res.json()) as Check & { checks: Check[] } };
  };

  it("answers Homepage's single-check request with the status and last_ping it shows", async () => {
    const daemon = await start();
    expect((await get(`/api/v3/checks/${UUID}`)).body).toMatchObject({
      status: 'new',
      last_ping: null,
    });
    t.clock.advance(MIN);
    await fetch(`${daemon.url}/ping/${UUID}`);
    const { status, body } = await get(`/api/v3/checks/${UUID}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: 'Backup', slug: 'backup', status: 'up', tags: 'db prod' });
    expect(body.last_ping).toBe('2026-05-01T10:01:00+00:00');
    expect(body).toMatchObject({
      uuid: UUID,
      timeout: 3600,
      grace: 600,
      ping_url: `${daemon.url}/ping/${UUID}`,
    });
  });

  it("answers Homepage's list request (no uuid) with every check's status", async () => {
    await start();
    const { body } = await get('/api/v3/checks/');
    expect(body.checks.map((c) => [c.slug, c.status])).toEqual([
      ['backup', 'new'],
      ['report', 'new'],
    ]);
    expect(body.checks[1]).toMatchObject({ schedule: '15 5 * * *', tz: 'Europe/Riga' });
    const tagged = await get('/api/v1/checks/?tag=prod&tag=db');
    expect(tagged.body.checks.map((c) => c.slug)).toEqual(['backup']);
  });

  it('gives a read-only key unique_key instead of the uuid and URLs, and finds a check by it', async () => {
    await start();
    const { body } = await get('/api/v3/checks/', READ);
    const backup = body.checks[0] ?? {};
    expect(backup.uuid).toBeUndefined();
    expect(backup.ping_url).toBeUndefined();
    expect(backup.unique_key).toMatch(/^[0-9a-f]{40}$/);
    expect((await get(`/api/v3/checks/${String(backup.unique_key)}`, READ)).body.slug).toBe(
      'backup',
    );
    expect((await get(`/api/v3/checks/${UUID}`, READ)).status).toBe(404);
  });

  it('maps late to grace, and running to started in v1 and to up with started in v3', async () => {
    const daemon = await start();
    await fetch(`${daemon.url}/ping/${UUID}`);
    t.clock.advance(61 * MIN);
    expect((await get(`/api/v3/checks/${UUID}`)).body.status).toBe('grace');
    await fetch(`${daemon.url}/ping/${UUID}/start`);
    expect((await get(`/api/v1/checks/${UUID}`)).body.status).toBe('started');
    expect((await get(`/api/v3/checks/${UUID}`)).body).toMatchObject({
      status: 'up',
      started: true,
    });
  });

  it('answers every write 403 naming the config file, and a request without a key 401', async () => {
    await start();
    const write = (method: string, path: string) =>
      fetch(`${t.daemon?.url}${path}`, {
        method,
        headers: { 'X-Api-Key': API },
        body: method === 'DELETE' ? null : '{}',
      });
    for (const [method, path] of [
      ['POST', '/api/v3/checks/'],
      ['POST', `/api/v3/checks/${UUID}`],
      ['POST', `/api/v3/checks/${UUID}/pause`],
      ['DELETE', `/api/v3/checks/${UUID}`],
    ] as const) {
      const res = await write(method, path);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toContain(
        `${t.dir.path}/config.yaml`,
      );
    }
    expect((await fetch(`${t.daemon?.url}/api/v3/checks/`)).status).toBe(401);
  });
});
