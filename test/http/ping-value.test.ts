// A number sent with a ping (`?value=`) is stored on every ping URL that can carry a query, and a
// value that is not a number is refused with the reason, never silently dropped.
import { describe, expect, it } from 'vitest';
import { configYaml } from '../helpers/config-yaml.js';
import { suiteDaemon } from '../helpers/daemon.js';

const KEY = 'value-ping-key-0123456789';
const TOKEN = 'value-token-6f1d0c3e9b2a';

describe('values sent with pings', () => {
  const suite = suiteDaemon(
    configYaml({
      server: { 'ping-key': KEY },
      monitors: { backup: { every: '1h', token: TOKEN } },
    }),
  );

  const pings = () =>
    (suite.get().store.db.prepare('SELECT COUNT(*) AS n FROM pings').get() as { n: number }).n;
  const lastValue = () =>
    (
      suite.get().store.db.prepare('SELECT value FROM pings ORDER BY id DESC LIMIT 1').get() as {
        value: number | null;
      }
    ).value;
  const gatusAuth = { authorization: `Bearer ${TOKEN}` };

  const dialects: readonly (readonly [string, string, RequestInit?])[] = [
    ['a Healthchecks token URL', `/ping/${TOKEN}?value=42.5`],
    ['a ping key URL with an exit status', `/ping/${KEY}/backup/0?value=42.5`],
    ['a start', `/ping/${TOKEN}/start?value=42.5`],
    ['an Uptime Kuma push', `/api/push/${TOKEN}?status=up&value=42.5`],
    ['a /hb/ URL', `/hb/${TOKEN}?value=42.5`],
    ['a /heartbeat/ URL', `/heartbeat/${TOKEN}?value=42.5`],
    [
      'POST /v1/heartbeats/<token>/ping',
      `/v1/heartbeats/${TOKEN}/ping?value=42.5`,
      { method: 'POST' },
    ],
    [
      'a Gatus external endpoint',
      '/api/v1/endpoints/backup/external?success=true&value=42.5',
      { method: 'POST', headers: gatusAuth },
    ],
  ];

  for (const [what, path, init] of dialects) {
    it(`stores the value sent with ${what}`, async () => {
      const res = await fetch(`${suite.get().url}${path}`, init);
      expect(res.status).toBe(200);
      expect(lastValue()).toBe(42.5);
    });
  }

  for (const [what, path, init] of dialects) {
    it(`refuses a value that is not a number on ${what}, saying why, and stores nothing`, async () => {
      const before = pings();
      const res = await fetch(`${suite.get().url}${path.replace('42.5', 'fast')}`, init);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('value');
      expect(pings()).toBe(before);
    });
  }
});
