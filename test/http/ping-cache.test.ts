// Ping answers are never served from a cache: a GET ping through a caching proxy or a browser
// must reach overdue every time, whatever the dialect and whatever the answer.
import { describe, expect, it } from 'vitest';
import { configYaml } from '../helpers/config-yaml.js';
import { suiteDaemon } from '../helpers/daemon.js';

const KEY = 'cache-ping-key-0123456789';
const TOKEN = 'cache-token-6f1d0c3e9b2a';

describe('ping answers and caches', () => {
  const suite = suiteDaemon(
    configYaml({
      server: { 'ping-key': KEY },
      monitors: { backup: { every: '1h', token: TOKEN } },
    }),
  );

  const answers = [
    ['a stored ping', `/ping/${TOKEN}`, 200],
    ['a ping by ping key and slug', `/ping/${KEY}/backup/start`, 200],
    ['an Uptime Kuma push', `/api/push/${TOKEN}?status=up`, 200],
    ['a heartbeat URL', `/hb/${TOKEN}`, 200],
    ['an unknown token', '/ping/no-such-token', 404],
    ['a bad exit status', `/ping/${TOKEN}/256`, 400],
  ] as const;

  for (const [what, path, status] of answers) {
    it(`tells every cache not to keep the answer to ${what}`, async () => {
      const res = await fetch(`${suite.get().url}${path}`);
      expect(res.status).toBe(status);
      // As Healthchecks answers pings (Django's never_cache).
      expect(res.headers.get('cache-control')).toBe(
        'max-age=0, no-cache, no-store, must-revalidate, private',
      );
      const expires = Date.parse(res.headers.get('expires') ?? '');
      expect(Number.isNaN(expires)).toBe(false);
      expect(expires).toBeLessThanOrEqual(Date.now());
    });
  }
});
