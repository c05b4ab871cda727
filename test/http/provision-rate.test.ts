// Monitors created per address are rate-limited (a token bucket: 30 at once, then one more every
// 2 s), at POST /v1/heartbeats and at ?create=1; a ping to a monitor that exists is never refused.
import { describe, expect, it } from 'vitest';
import { configYaml, TEST_PING_KEY as KEY } from '../helpers/config-yaml.js';
import { daemonFixture } from '../helpers/daemon.js';

const API = 'provision-api-token-0123456789';

describe('creations from one address', () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));
  const start = () =>
    t.start(
      configYaml({
        server: { 'api-token': API, 'trust-proxy': true },
        'auto-provision': { enabled: true, every: '1h', grace: '5m' },
      }),
    );
  const create = (name: string, from: string) =>
    fetch(`${t.daemon?.url}/v1/heartbeats`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${API}`,
        'content-type': 'application/json',
        'x-forwarded-for': from,
      },
      body: JSON.stringify({ name, interval_secs: 3600 }),
    });
  const pingCreate = (slug: string, from: string) =>
    fetch(`${t.daemon?.url}/ping/${KEY}/${slug}?create=1`, {
      headers: { 'x-forwarded-for': from },
    });

  it('answers 429 with Retry-After past 30 creations at once, then allows one every 2 s', async () => {
    await start();
    for (let i = 0; i < 30; i++) expect((await create(`Job ${i}`, '203.0.113.1')).status).toBe(201);
    const refused = await create('One too many', '203.0.113.1');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /too many monitors created/,
    );
    expect((await create('Elsewhere', '203.0.113.2')).status).toBe(201);
    t.clock.advance(2_000);
    expect((await create('Later', '203.0.113.1')).status).toBe(201);
  });

  it('counts ?create=1 pings against the same limit, answering 429, never a ping to an existing monitor', async () => {
    await start();
    for (let i = 0; i < 30; i++)
      expect((await pingCreate(`job-${i}`, '203.0.113.5')).status).toBe(201);
    const refused = await pingCreate('job-30', '203.0.113.5');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(await refused.text()).toMatch(/too many monitors created/);
    expect(t.daemon?.monitors.bySlug('job-30')).toBeUndefined();
    expect((await create('Via the API', '203.0.113.5')).status).toBe(429);
    expect((await pingCreate('job-0', '203.0.113.5')).status).toBe(200);
  });
});
