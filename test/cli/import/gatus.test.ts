// `overdue import gatus`: external-endpoints of a Gatus config become monitors whose slug is the
// Gatus key, so the push URL /api/v1/endpoints/<key>/external and its Bearer token stay the same.
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { daemonFixture } from '../../helpers/daemon.js';
import { FIXTURES, importCli, withServer } from './helpers.js';

const FILE = join(FIXTURES, 'gatus-config.yaml');

describe('overdue import gatus', () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));

  it('maps heartbeat.interval, group, token, failure-threshold and alert providers', () => {
    const { stdout, stderr } = importCli(['gatus', '--from', FILE]);
    const config = parse(stdout) as {
      hooks: Record<string, unknown>;
      monitors: Record<string, Record<string, unknown>>;
    };
    expect(config.monitors['core_ext-ep-test']).toEqual({
      name: 'ext-ep-test',
      every: '30m',
      grace: '0s',
      'alert-after': 3,
      tags: ['core'],
      notify: ['discord'],
      token: 'potato-potato-potato-potato',
    });
    expect(config.monitors['nightly-sync']).toMatchObject({ every: '1d', 'alert-after': 2 });
    expect(config.hooks).toEqual({
      discord: { discord: { url: 'https://discord.com/api/webhooks/123/abc' } },
      ntfy: { ntfy: { url: 'https://ntfy.example.com', topic: 'gatus-alerts' } },
    });
    expect(stderr).toContain('alerting.pagerduty: no overdue preset');
    expect(stdout).toContain('# the token is shorter than 16 characters');
  });

  it('imports the config, runs overdue on the output and takes pushes at the Gatus URLs', async () => {
    const { stdout } = importCli(['gatus', '--from', FILE]);
    const daemon = await t.start(withServer(stdout));
    const push = (key: string, token: string) =>
      fetch(`${daemon.url}/api/v1/endpoints/${key}/external?success=true&duration=2s`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await push('core_ext-ep-test', 'potato-potato-potato-potato')).status).toBe(200);
    // An endpoint without a group has the key `_<name>` in Gatus.
    expect((await push('_nightly-sync', 'sync-token-0123456789abcdef')).status).toBe(200);
    expect(daemon.monitors.bySlug('core_ext-ep-test')?.state.status).toBe('up');
    expect(daemon.monitors.bySlug('nightly-sync')?.state.status).toBe('up');
  });
});
