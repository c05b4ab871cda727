// End to end through the daemon: real SQLite file, real port, real command hook and webhook
// receiver; time moves by a fake clock, so no test waits for it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configYaml, TEST_PING_KEY as KEY, type ConfigSections } from './helpers/config-yaml.js';
import { configFrom, daemonFixture, startDaemon } from './helpers/daemon.js';
import { Receiver } from './helpers/receiver.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');

describe('daemon', () => {
  const t = daemonFixture(T0);
  let receiver: Receiver;
  beforeEach(async () => (receiver = await new Receiver().start()));
  afterEach(() => receiver.close());

  const backup = { every: '1m', grace: '30s', notify: ['log', 'web'] };
  const yaml = ({ server = {}, monitors = { backup } }: ConfigSections = {}) =>
    configYaml({
      server,
      hooks: {
        // ${ALERTS_FILE} comes from the env given to configFrom: the test leaves process.env alone.
        log: { command: 'cat >> "${ALERTS_FILE}"' },
        web: { webhook: `${receiver.url}/alert` },
      },
      monitors,
    });
  const alertsFile = () => join(t.dir.path, 'alerts.jsonl');
  const config = (text = yaml()) => configFrom(t.dir.path, text, { ALERTS_FILE: alertsFile() });
  const commandAlerts = () =>
    existsSync(alertsFile())
      ? readFileSync(alertsFile(), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { event: string })
      : [];
  const webAlerts = () =>
    receiver.received.map(
      (r) => JSON.parse(r.body) as { event: string; monitor: { slug: string } },
    );
  const ping = async (path = '') =>
    (await fetch(`${t.daemon?.url}/ping/${KEY}/backup${path}`)).status;
  const settle = async () => t.daemon?.dispatcher.idle();

  it('sends exactly one down alert to each hook when pings stop, and one recovery alert after the next ping', async () => {
    t.daemon = await startDaemon(config(), t.clock);
    expect(await ping()).toBe(200);
    t.clock.advance(90_000 - 1);
    await settle();
    expect(webAlerts()).toEqual([]);
    t.clock.advance(1);
    await settle();
    expect(webAlerts().map((a) => a.event)).toEqual(['down']);
    expect(commandAlerts().map((a) => a.event)).toEqual(['down']);
    t.clock.advance(3_600_000);
    await settle();
    expect(webAlerts()).toHaveLength(1);
    expect(await ping()).toBe(200);
    await settle();
    expect(webAlerts().map((a) => a.event)).toEqual(['down', 'up']);
    expect(commandAlerts().map((a) => a.event)).toEqual(['down', 'up']);
  });

  it('alerts at once on a failure ping, without waiting for grace', async () => {
    t.daemon = await startDaemon(config(), t.clock);
    expect(await ping('/fail')).toBe(200);
    await settle();
    expect(webAlerts().map((a) => a.event)).toEqual(['down']);
  });

  it('restores state on restart and sends no duplicate alert', async () => {
    t.daemon = await startDaemon(config(), t.clock);
    await ping();
    t.clock.advance(90_000);
    await settle();
    await t.daemon.close();
    t.daemon = await startDaemon(config(), t.clock);
    expect(t.daemon.monitors.bySlug('backup')?.state.status).toBe('down');
    t.clock.advance(3_600_000);
    await settle();
    expect(webAlerts().map((a) => a.event)).toEqual(['down']);
    expect(commandAlerts()).toHaveLength(1);
  });

  it('restores the last ping and success times from the pings, which do not rewrite the monitor row', async () => {
    t.daemon = await startDaemon(config(), t.clock);
    await ping();
    t.clock.advance(10_000);
    await ping();
    t.clock.advance(10_000);
    await ping('/log');
    const row = t.daemon.store.db.prepare('SELECT last_ping_at AS at FROM monitors').get();
    expect(row).toEqual({ at: T0 });
    await t.daemon.close();
    t.daemon = await startDaemon(config(), t.clock);
    const state = t.daemon.monitors.bySlug('backup')?.state;
    expect([state?.lastPingAt, state?.lastSuccessAt]).toEqual([T0 + 10_000, T0 + 10_000]);
  });

  it('keeps the restored times exact when pruning deletes the pings they came from', async () => {
    const keepOne = yaml({ server: { 'keep-pings': 1 } });
    t.daemon = await startDaemon(config(keepOne), t.clock);
    await ping();
    t.clock.advance(1_000);
    await ping();
    for (let i = 0; i < 8; i++) await ping('/log');
    // Indexing the ten pings prunes all but the newest: the newest success goes.
    t.daemon.store.pingIndex.indexAll();
    expect(t.daemon.store.db.prepare('SELECT kind FROM pings').all()).toEqual([{ kind: 'log' }]);
    await t.daemon.close();
    t.daemon = await startDaemon(config(keepOne), t.clock);
    const state = t.daemon.monitors.bySlug('backup')?.state;
    expect([state?.lastPingAt, state?.lastSuccessAt]).toEqual([T0 + 1_000, T0 + 1_000]);
  });

  it('keeps taking pings and stays healthy while the pass that indexes pings fails', async () => {
    t.daemon = await startDaemon(config(), t.clock);
    expect(await ping()).toBe(200);
    t.daemon.store.indexFailed(
      Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
    );
    expect(await ping()).toBe(200);
    expect(t.daemon.health.report()).toMatchObject({ ok: true });
  });

  it('gives a deadline missed while stopped one grace period from start-up, then alerts', async () => {
    t.daemon = await startDaemon(config(), t.clock);
    await ping();
    await t.daemon.close();
    t.clock.jump(600_000);
    const startedAt = t.clock.now();
    t.daemon = await startDaemon(config(), t.clock);
    t.clock.advance(30_000 - 1);
    await settle();
    expect(webAlerts()).toEqual([]);
    expect(t.daemon.monitors.bySlug('backup')?.state.status).toBe('late');
    t.clock.advanceTo(startedAt + 30_000);
    await settle();
    expect(webAlerts().map((a) => a.event)).toEqual(['down']);
  });

  it('delivers after a restart the alerts it could not deliver before', async () => {
    receiver.mode = 500;
    t.daemon = await startDaemon(config(), t.clock);
    await ping('/fail');
    await settle();
    expect(receiver.received).toHaveLength(1); // answered 500: still pending
    await t.daemon.close();
    receiver.mode = 200;
    t.daemon = await startDaemon(config(), t.clock);
    t.clock.advance(5_000); // the retry keeps the backoff it was given before the restart
    await settle();
    expect(webAlerts().map((a) => a.event)).toEqual(['down', 'down']);
    const outbox = t.daemon.store.db
      .prepare(`SELECT state, attempts FROM outbox WHERE hook = 'web'`)
      .all();
    expect(outbox).toEqual([{ state: 'delivered', attempts: 2 }]);
  });

  it('arms a new monitor from start-up: silence from the first moment is an alert', async () => {
    t.daemon = await startDaemon(config(), t.clock);
    t.clock.advance(90_000);
    await settle();
    expect(webAlerts().map((a) => [a.event, a.monitor.slug])).toEqual([['down', 'backup']]);
  });

  it('keeps history and stops alerting for a monitor removed by a reload', async () => {
    t.daemon = await startDaemon(config(), t.clock);
    await ping();
    await t.daemon.reload(config(yaml({ monitors: {} })));
    t.clock.advance(3_600_000);
    await settle();
    expect(webAlerts()).toEqual([]);
    expect(await ping()).toBe(404);
    await t.daemon.reload(config());
    expect(t.daemon.monitors.bySlug('backup')?.state.lastPingAt).toBe(T0);
  });

  it('reminds while down every repeat, and alerts only after alert-after misses', async () => {
    const policyYaml = yaml({
      monitors: { backup: { ...backup, notify: ['web'], 'alert-after': 2, repeat: '1h' } },
    });
    t.daemon = await startDaemon(config(policyYaml), t.clock);
    await ping();
    t.clock.advance(90_000); // first miss: down, but quiet
    await settle();
    expect(t.daemon.monitors.bySlug('backup')?.state).toMatchObject({
      status: 'down',
      failures: 1,
      alerted: false,
    });
    expect(webAlerts()).toEqual([]);
    t.clock.advance(60_000); // second miss (expected at 2m, grace ends 2m30s): the down alert
    await settle();
    expect(webAlerts().map((a) => a.event)).toEqual(['down']);
    t.clock.advance(3_600_000);
    await settle();
    expect(webAlerts().map((a) => a.event)).toEqual(['down', 'reminder']);
    await t.daemon.close();
    t.daemon = await startDaemon(config(policyYaml), t.clock);
    expect(t.daemon.monitors.bySlug('backup')?.state).toMatchObject({ failures: 2, alerted: true });
    expect(await ping()).toBe(200);
    await settle();
    expect(webAlerts().map((a) => a.event)).toEqual(['down', 'reminder', 'up']);
  });
});
