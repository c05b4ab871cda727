// Gatus' status API as Homepage's Gatus widget reads it (src/widgets/gatus: GET
// {url}/api/v1/endpoints/statuses through the credentialed proxy, which sends `X-API-Key:
// ${widget.key}`, the text `undefined` when no key is set; a site is up when its last result has
// success: true).
import { describe, expect, it } from 'vitest';
import { configYaml } from '../helpers/config-yaml.js';
import { daemonFixture } from '../helpers/daemon.js';

const TOKEN = 'gatus-token-0123456789abcdef';
const MIN = 60_000;

describe("Gatus' endpoint statuses", () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));
  const start = () =>
    t.start(
      configYaml({
        server: { public: ['api'] },
        monitors: {
          'core_ext-ep-test': { name: 'ext-ep-test', every: '30m', grace: '0s', token: TOKEN },
          'nightly-sync': { every: '1d' },
        },
      }),
    );
  const push = (success: boolean) =>
    fetch(`${t.daemon?.url}/api/v1/endpoints/core_ext-ep-test/external?success=${success}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
  type Status = { name: string; group?: string; key: string; results: { success: boolean }[] };
  const statuses = async () => {
    const res = await fetch(`${t.daemon?.url}/api/v1/endpoints/statuses`, {
      headers: { 'X-API-Key': 'undefined', 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Status[];
  };

  it('lists every monitor with its key, group and results, oldest first', async () => {
    await start();
    await push(true);
    t.clock.advance(MIN);
    await push(false);
    const [ext, sync] = await statuses();
    expect(ext).toMatchObject({ name: 'ext-ep-test', group: 'core', key: 'core_ext-ep-test' });
    expect(ext?.results.map((r) => r.success)).toEqual([true, false]);
    expect(sync).toMatchObject({ key: 'nightly-sync', results: [] });
  });

  it('ends with a failed result when a deadline was missed, so the widget counts it down', async () => {
    await start();
    await push(true);
    t.clock.advance(31 * MIN);
    const [ext] = await statuses();
    expect(ext?.results.at(-1)?.success).toBe(false);
  });
});
