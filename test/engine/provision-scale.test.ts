// Auto-provisioning at scale: a creation starts watching the one new monitor (it does not re-sync
// every monitor, which blocked the event loop ~0.1 s per creation at 20 000 monitors), and the
// number of monitors it may create is capped by auto-provision.max-monitors.
import { describe, expect, it, vi } from 'vitest';
import { configYaml, TEST_PING_KEY as KEY } from '../helpers/config-yaml.js';
import { daemonFixture } from '../helpers/daemon.js';

const API = 'provision-api-token-0123456789';

describe('auto-provisioning at scale', () => {
  const t = daemonFixture(Date.parse('2026-05-01T10:00:00Z'));
  const start = (auto: Record<string, string | number | boolean> = {}, monitors = 200) =>
    t.start(
      configYaml({
        server: { 'api-token': API },
        'auto-provision': { enabled: true, every: '1h', grace: '5m', ...auto },
        monitors: Object.fromEntries(
          Array.from({ length: monitors }, (_, i) => [`job-${i}`, { every: '1d' }]),
        ),
      }),
    );
  const create = (name: string) =>
    fetch(`${t.daemon?.url}/v1/heartbeats`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, interval_secs: 3600, grace_secs: 300 }),
    });
  const pingCreate = (slug: string) => fetch(`${t.daemon?.url}/ping/${KEY}/${slug}?create=1`);

  it('starts watching only the new monitor: no re-sync, no reload of every row', async () => {
    const daemon = await start();
    const sync = vi.spyOn(daemon.monitors, 'sync');
    const loadMonitors = vi.spyOn(daemon.store, 'loadMonitors');
    const provisioned = vi.spyOn(daemon.store, 'provisioned');
    for (let i = 0; i < 5; i++) {
      expect((await pingCreate(`auto-${i}`)).status).toBe(201);
      expect((await create(`Created ${i}`)).status).toBe(201);
    }
    expect(sync).not.toHaveBeenCalled();
    expect(loadMonitors).not.toHaveBeenCalled();
    expect(provisioned).not.toHaveBeenCalled();
    expect(daemon.monitors.size).toBe(210);
  });

  it('arms the new monitor at once: it goes down when its grace ends', async () => {
    const daemon = await start();
    expect((await create('Fresh job')).status).toBe(201);
    const monitor = daemon.monitors.bySlug('fresh-job');
    expect(monitor && daemon.monitors.deadlineAt(monitor)).toBe(t.clock.now() + 3_600_000);
    t.clock.advance(3_600_000 + 300_000);
    expect(daemon.monitors.bySlug('fresh-job')?.state.status).toBe('down');
    const { token } = (await (await create('Other')).json()) as { token: string };
    expect(daemon.monitors.byToken(token)?.config.slug).toBe('other');
  });

  it('keeps a created monitor, its state and its token, across a reload', async () => {
    const daemon = await start();
    const { token } = (await (await create('Kept job')).json()) as { token: string };
    expect((await fetch(`${daemon.url}/ping/${token}`)).status).toBe(200);
    await daemon.reload(daemon.config);
    expect(daemon.monitors.bySlug('kept-job')?.state.status).toBe('up');
    expect((await fetch(`${daemon.url}/ping/${token}`)).status).toBe(200);
  });

  it('carries on the history of a slug that was watched before', async () => {
    const daemon = await start({}, 1);
    expect((await fetch(`${daemon.url}/ping/${KEY}/job-0`)).status).toBe(200);
    const id = daemon.monitors.bySlug('job-0')?.id;
    await daemon.reload({ ...daemon.config, monitors: new Map() });
    expect(daemon.monitors.bySlug('job-0')).toBeUndefined();
    expect((await pingCreate('job-0')).status).toBe(201);
    expect(daemon.monitors.bySlug('job-0')?.id).toBe(id);
    expect(daemon.read.pings('job-0', {})?.items).toHaveLength(2);
  });

  it('refuses to create more than auto-provision.max-monitors, and says so', async () => {
    const daemon = await start({ 'max-monitors': 3 }, 2);
    for (let i = 0; i < 2; i++) expect((await create(`Made ${i}`)).status).toBe(201);
    expect((await pingCreate('third')).status).toBe(201);
    const refused = await create('Made 4');
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /auto-provision\.max-monitors \(3\)/,
    );
    const refusedPing = await pingCreate('fourth');
    expect(refusedPing.status).toBe(409);
    expect(await refusedPing.text()).toMatch(/auto-provision\.max-monitors \(3\)/);
    expect(daemon.monitors.size).toBe(5);
    // A ping to a monitor that exists is never refused.
    expect((await pingCreate('third')).status).toBe(200);
  });

  it('defaults auto-provision.max-monitors to 2000', async () => {
    const daemon = await start({}, 0);
    expect(daemon.config.autoProvision.maxMonitors).toBe(2000);
  });
});
