// Maintenance windows through a real daemon: a window swallows a down and alerts once at its end
// if still down; across a restart and a reload too. Real SQLite, a real receiver, a fake clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFrom, daemonFixture } from '../helpers/daemon.js';
import { Receiver } from '../helpers/receiver.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const END = Date.parse('2026-05-01T11:00:00.000Z');
const KEY = 'test-ping-key-0123456789';
const READ = 'read-token-0123456789abcdef';
const MIN = 60_000;

describe('maintenance, end to end', () => {
  const t = daemonFixture(T0);
  let receiver: Receiver;
  beforeEach(async () => (receiver = await new Receiver().start()));
  afterEach(() => receiver.close());

  // Armed at T0: late at 10:01, down at 10:01:30, inside the window 10:00-11:00.
  const yaml = (window: string) => `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  ping-key: ${KEY}
  read-token: ${READ}
hooks:
  json:
    webhook: ${receiver.url}/json
maintenance:
${window}
monitors:
  backup:
    every: 1m
    grace: 30s
    notify: [json]
`;
  const hour = '  - from: 2026-05-01T10:00Z\n    until: 2026-05-01T11:00Z';
  const advanceTo = async (at: number) => {
    t.clock.advance(at - t.clock.now());
    await t.daemon?.dispatcher.idle();
  };
  const alerts = () =>
    receiver.received.map((r) => JSON.parse(r.body) as { event: string; reason: string });
  const transitions = async () => {
    const r = await fetch(`${t.daemon?.url}/api/v1/monitors/backup/transitions`, {
      headers: { authorization: `Bearer ${READ}` },
    });
    return ((await r.json()) as { items: { to: string; alert: string | null }[] }).items;
  };

  it('records a down inside the window without alerting, and alerts it once when the window ends', async () => {
    await t.start(yaml(hour));
    await advanceTo(END - 1);
    expect((await transitions())[0]).toMatchObject({ to: 'down', alert: null });
    expect(alerts()).toEqual([]);
    await advanceTo(END);
    expect(alerts()).toMatchObject([{ event: 'down', reason: 'maintenance' }]);
    await advanceTo(END + 60 * MIN);
    expect(alerts()).toHaveLength(1);
  });

  it('shows an open window in the API, on the status page and in /metrics', async () => {
    await t.start(yaml(hour));
    await advanceTo(T0 + 5 * MIN);
    const get = (path: string) =>
      fetch(`${t.daemon?.url}${path}`, { headers: { authorization: `Bearer ${READ}` } });
    const body = (await (await get('/api/v1/monitors/backup')).json()) as { monitor: object };
    expect(body.monitor).toMatchObject({ maintenance_until_at: '2026-05-01T11:00:00.000Z' });
    const page = await (await get('/')).text();
    expect(page).toContain('1 monitor is in maintenance.');
    expect(page).toMatch(/in maintenance until 2026-05-01 11:00/);
    expect(await (await get('/metrics')).text()).toContain('overdue_monitors_in_maintenance 1');
    await advanceTo(END);
    expect(await (await get('/metrics')).text()).toContain('overdue_monitors_in_maintenance 0');
  });

  it('alerts nothing when the monitor recovered before the window ended', async () => {
    await t.start(yaml(hour));
    await advanceTo(END - MIN);
    expect((await fetch(`${t.daemon?.url}/ping/${KEY}/backup`)).status).toBe(200);
    await advanceTo(END);
    expect(alerts()).toEqual([]);
  });

  it('alerts a held down once after a restart that comes after the window ended', async () => {
    await t.start(yaml(hour));
    await advanceTo(END - MIN);
    await t.daemon?.close();
    t.clock.advance(2 * MIN);
    await t.start(yaml(hour));
    await advanceTo(t.clock.now()); // the deadlines that passed while it was stopped fire
    expect(alerts()).toMatchObject([{ event: 'down', reason: 'maintenance' }]);
    await advanceTo(END + 60 * MIN);
    expect(alerts()).toHaveLength(1);
  });

  it('alerts a held down at once when a reload removes its window', async () => {
    await t.start(yaml(hour));
    await advanceTo(T0 + 20 * MIN);
    await t.daemon?.reload(configFrom(t.dir.path, yaml('  []').replace('maintenance:\n  []', '')));
    await t.daemon?.dispatcher.idle();
    await advanceTo(T0 + 20 * MIN);
    expect(alerts()).toMatchObject([{ event: 'down', reason: 'maintenance' }]);
  });
});
