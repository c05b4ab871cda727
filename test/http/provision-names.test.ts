// Names given to POST /v1/heartbeats reach command hooks as environment variables (where a NUL
// byte makes every spawn fail) and webhooks' headers and bodies: they are checked at the edge.
import { describe, expect, it } from 'vitest';
import { withProvisioned } from '../../src/engine/provisioning.js';
import { configYaml } from '../helpers/config-yaml.js';
import { configFrom, daemonFixture } from '../helpers/daemon.js';

const API = 'provision-api-token-0123456789';

describe('names of created monitors', () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));
  const start = () =>
    t.start(
      configYaml({
        server: { 'api-token': API },
        'auto-provision': { enabled: true, every: '1d', grace: '1h' },
      }),
    );
  const create = (body: unknown) =>
    fetch(`${t.daemon?.url}/v1/heartbeats`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it.each(['bad\u0000name', 'two\nlines', 'bell\u0007', 'esc\u001b[31m', 'del\u007f', 'c1\u0085'])(
    'refuses a name with a control character (%j) with a 400 that says why',
    async (name) => {
      await start();
      const res = await create({ name, interval_secs: 60 });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/control characters/);
      expect(t.daemon?.monitors.size).toBe(0);
    },
  );

  it('refuses a name longer than 200 characters, and says the bound', async () => {
    await start();
    const res = await create({ name: 'x'.repeat(201), interval_secs: 60 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/at most 200/);
  });

  it('accepts a name in any script, with spaces and punctuation', async () => {
    await start();
    const res = await create({ name: 'Sauvegarde nocturne — 数据库 (prod)', interval_secs: 60 });
    expect(res.status).toBe(201);
  });

  it('runs a name stored before this check without its control characters', () => {
    const config = configFrom(
      t.dir.path,
      configYaml({ 'auto-provision': { enabled: true, every: '1d', grace: '1h' } }),
    );
    const row = {
      slug: 'old',
      name: 'old\u0000job\nname',
      periodMs: null,
      graceMs: null,
      token: null,
      createdAt: 0,
    };
    expect(withProvisioned(config, [row]).monitors.get('old')?.name).toBe('old job name');
  });
});
