// server.heartbeat through a real daemon: pings a real receiver while healthy; with its database
// made read-only, one /fail with the reason within one interval, then silence. Fake clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { daemonFixture } from '../helpers/daemon.js';
import { Receiver } from '../helpers/receiver.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const MIN = 60_000;

describe('the outgoing heartbeat', () => {
  const t = daemonFixture(T0);
  let receiver: Receiver;
  beforeEach(async () => (receiver = await new Receiver().start()));
  afterEach(() => receiver.close());

  const start = () =>
    t.start(`
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  public: [metrics]
  heartbeat:
    url: ${receiver.url}/ping/watcher-token-0123456789
    every: 1m
`);
  /** Lets `ms` pass and waits for the heartbeat sent meanwhile, if any, to be answered. */
  const advance = async (ms: number) => {
    t.clock.advance(ms);
    await t.daemon?.health.idle();
  };
  const sent = () => receiver.received.map((r) => `${r.method} ${r.url} ${r.body}`);

  it('pings at start and every interval while healthy', async () => {
    await start();
    await t.daemon?.health.idle();
    await advance(MIN - 1);
    expect(sent()).toEqual(['POST /ping/watcher-token-0123456789 ok']);
    await advance(1);
    await advance(MIN);
    expect(sent()).toHaveLength(3);
  });

  it('sends one /fail with the reason within one interval of the database turning read-only, then stops', async () => {
    const daemon = await start();
    await daemon.health.idle();
    // query_only makes every write fail, as a read-only mount or a full disk would.
    daemon.store.db.pragma('query_only = ON');
    await advance(MIN);
    expect(sent()[1]).toMatch(
      /^POST \/ping\/watcher-token-0123456789\/fail database not writable: .*readonly/i,
    );
    await advance(10 * MIN);
    expect(sent()).toHaveLength(2);
    daemon.store.db.pragma('query_only = OFF');
  });

  it('pings again once healthy again', async () => {
    const daemon = await start();
    daemon.store.db.pragma('query_only = ON');
    await advance(MIN); // the /fail
    daemon.store.db.pragma('query_only = OFF');
    await advance(MIN);
    expect(sent().map((s) => s.split(' ')[1])).toEqual([
      '/ping/watcher-token-0123456789',
      '/ping/watcher-token-0123456789/fail',
      '/ping/watcher-token-0123456789',
    ]);
  });

  it('reports the three checks on /healthz and /metrics', async () => {
    const daemon = await start();
    const json = { accept: 'application/json' };
    const ok = await fetch(`${daemon.url}/healthz`, { headers: json });
    expect([ok.status, await ok.json()]).toEqual([
      200,
      {
        ok: true,
        config: 'applied',
        config_detail: null,
        checks: {
          database: { ok: true, detail: 'writable' },
          scheduler: { ok: true, detail: 'on time (0 ms late)' },
          dispatcher: { ok: true, detail: 'no alert waiting' },
        },
      },
    ]);
    daemon.store.db.pragma('query_only = ON');
    const down = await fetch(`${daemon.url}/healthz`, { headers: json });
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, checks: { database: { ok: false } } });
    const metrics = await (await fetch(`${daemon.url}/metrics`)).text();
    expect(metrics).toContain('overdue_health_check{check="database"} 0');
    expect(metrics).toContain('overdue_health_check{check="scheduler"} 1');
    expect(metrics).toContain('overdue_heartbeats_total{kind="success",result="ok"} 1');
    daemon.store.db.pragma('query_only = OFF');
  });
});
