// min-runtime and early through a real daemon: a real receiver gets the alert with its reason,
// the history and the API show it, /metrics counts it. Time is a fake clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { daemonFixture } from '../helpers/daemon.js';
import { Receiver } from '../helpers/receiver.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const KEY = 'test-ping-key-0123456789';
const READ = 'read-token-0123456789abcdef';

describe('runs too short or too early, end to end', () => {
  const t = daemonFixture(T0);
  let receiver: Receiver;
  beforeEach(async () => (receiver = await new Receiver().start()));
  afterEach(() => receiver.close());

  const start = () =>
    t.start(`
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  ping-key: ${KEY}
  read-token: ${READ}
hooks:
  json:
    webhook: ${receiver.url}/json
monitors:
  backup:
    every: 1h
    max-runtime: 30m
    min-runtime: 10s
    early: 10m
    notify: [json]
`);
  const ping = async (path: string) => {
    expect((await fetch(`${t.daemon?.url}/ping/${KEY}/backup${path}`)).status).toBe(200);
    await t.daemon?.dispatcher.idle();
  };
  const get = async (path: string) =>
    fetch(`${t.daemon?.url}${path}`, { headers: { authorization: `Bearer ${READ}` } });
  const alerts = () => receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);

  it('alerts a run that ended before its min-runtime as down, reason too-short', async () => {
    await start();
    await ping('/start');
    t.clock.advance(2_000);
    await ping('');
    expect(alerts()).toMatchObject([
      { event: 'down', reason: 'too-short', ping: { duration_ms: 2_000 } },
    ]);
    const history = (await (await get('/api/v1/monitors/backup/transitions')).json()) as {
      items: { reason: string }[];
    };
    expect(history.items.map((x) => x.reason)).toEqual(['too-short', 'ping']);
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toContain('overdue_rule_failures_total{reason="too-short"} 1');
    expect(metrics).toContain('overdue_rule_failures_total{reason="too-early"} 0');
  });

  it('alerts a second success within the period as down, reason too-early', async () => {
    await start();
    await ping('');
    t.clock.advance(5 * 60_000);
    await ping('');
    expect(alerts()).toMatchObject([
      { event: 'down', reason: 'too-early', deadline: '2026-05-01T11:00:00.000Z' },
    ]);
    const body = (await (await get('/api/v1/monitors/backup')).json()) as { monitor: object };
    expect(body.monitor).toMatchObject({
      status: 'down',
      min_runtime_ms: 10_000,
      early_ms: 600_000,
    });
  });

  it('keeps the last real success across a restart after a too-early success', async () => {
    await start();
    await ping('');
    t.clock.advance(5 * 60_000);
    await ping(''); // too early: down, the schedule still counts from 10:00
    await t.daemon?.close();
    const again = await start();
    expect(again.monitors.bySlug('backup')?.state).toMatchObject({
      status: 'down',
      lastSuccessAt: T0,
    });
  });
});
