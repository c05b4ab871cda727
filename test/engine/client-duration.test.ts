// A run's time measured by the job's own wrapper (`overdue exec` sends it as `duration=`) is what
// the daemon records: the daemon's own start-to-end measure includes the start ping's answer and
// the end ping's trip, which the job never spent.
import { describe, expect, it } from 'vitest';
import { configYaml } from '../helpers/config-yaml.js';
import { daemonFixture } from '../helpers/daemon.js';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const TOKEN = 'client-duration-token-0123';
const RID = '00000000-0000-4000-8000-000000000001';

describe('a run time sent by the client', () => {
  const t = daemonFixture(T0);
  const start = () => t.start(configYaml({ monitors: { etl: { every: '1h', token: TOKEN } } }));
  const lastDuration = () =>
    (
      t.daemon?.store.db
        .prepare('SELECT duration_ms AS d FROM pings ORDER BY id DESC LIMIT 1')
        .get() as {
        d: number | null;
      }
    ).d;

  it('is recorded instead of the time between the start and end pings', async () => {
    const daemon = await start();
    expect((await fetch(`${daemon.url}/ping/${TOKEN}/start?rid=${RID}`)).status).toBe(200);
    t.clock.advance(1_250);
    const end = await fetch(`${daemon.url}/ping/${TOKEN}/0?rid=${RID}&duration=1200.4ms`);
    expect(end.status).toBe(200);
    expect(lastDuration()).toBe(1_200);
  });

  it('is measured by the daemon when the client sends none', async () => {
    const daemon = await start();
    await fetch(`${daemon.url}/ping/${TOKEN}/start?rid=${RID}`);
    t.clock.advance(1_250);
    await fetch(`${daemon.url}/ping/${TOKEN}/0?rid=${RID}`);
    expect(lastDuration()).toBe(1_250);
  });

  it('refuses a duration that is not one, saying why', async () => {
    const daemon = await start();
    const res = await fetch(`${daemon.url}/ping/${TOKEN}/0?duration=soon`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('duration');
  });
});
