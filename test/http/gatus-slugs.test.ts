// The Gatus route takes a slug in the URL and the monitor's token in Authorization: an unknown slug
// and a wrong token get the same answer, so the route does not tell which slugs exist.
import { describe, expect, it } from 'vitest';
import { configYaml } from '../helpers/config-yaml.js';
import { daemonFixture } from '../helpers/daemon.js';

const TOKEN = 'gatus-token-0123456789abcdef';

describe('the Gatus route', () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));
  const push = (slug: string, token: string) =>
    fetch(`${t.daemon?.url}/api/v1/endpoints/${slug}/external?success=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });

  it('answers an unknown slug as it answers a wrong token', async () => {
    await t.start(configYaml({ monitors: { job: { every: '1h', token: TOKEN } } }));
    const wrongToken = await push('job', 'wrong-token-0123456789abcdef');
    const unknownSlug = await push('no-such-job', TOKEN);
    expect(wrongToken.status).toBe(401);
    expect(unknownSlug.status).toBe(wrongToken.status);
    expect(await unknownSlug.text()).toBe(await wrongToken.text());
    expect((await push('job', TOKEN)).status).toBe(200);
  });
});
