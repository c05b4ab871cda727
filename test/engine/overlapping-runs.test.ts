// Overlapping runs through the real daemon: every run sent with its rid over HTTP is timed, the
// open runs survive a restart, and max-runtime watches the oldest of them.
import { describe, expect, it } from 'vitest';
import { daemonFixture } from '../helpers/daemon.js';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const TOKEN = 'runs-token-0123456789ab';
const YAML = `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
monitors:
  etl:
    every: 1h
    grace: 5m
    max-runtime: 30m
    token: ${TOKEN}
`;
const rid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('overlapping runs through the daemon', () => {
  const t = daemonFixture(T0);
  const ping = async (suffix: string, runId: string) => {
    const res = await fetch(`${t.daemon?.url}/ping/${TOKEN}${suffix}?rid=${runId}`);
    expect(res.status).toBe(200);
  };
  const durations = () =>
    (
      t.daemon?.store.db
        .prepare(`SELECT duration_ms AS d FROM pings WHERE kind <> 'start' ORDER BY id`)
        .all() as { d: number | null }[]
    ).map((r) => r.d);

  it('times each of 8 overlapping runs, across a restart', async () => {
    await t.start(YAML);
    for (let i = 0; i < 8; i++) {
      await ping('/start', rid(i));
      t.clock.advance(1_000);
    }
    await t.daemon?.close();
    const restarted = await t.start(YAML);
    expect(restarted.monitors.bySlug('etl')?.state.status).toBe('running');
    for (let i = 7; i >= 0; i--) {
      await ping('', rid(i));
      t.clock.advance(1_000);
    }
    // Run i started at T0 + i s; the ends came from T0 + 8 s on, newest run first.
    expect(durations()).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((k) => (8 + k - (7 - k)) * 1_000));
    expect(restarted.monitors.bySlug('etl')?.state.status).toBe('up');
  });

  it('goes down when the oldest open run passes max-runtime, after a restart too', async () => {
    await t.start(YAML);
    await ping('/start', rid(1));
    t.clock.advance(10 * 60_000);
    await ping('/start', rid(2));
    await ping('', rid(2));
    await t.daemon?.close();
    const restarted = await t.start(YAML);
    t.clock.advanceTo(T0 + 30 * 60_000 - 1);
    expect(restarted.monitors.bySlug('etl')?.state.status).toBe('running');
    t.clock.advanceTo(T0 + 30 * 60_000);
    expect(restarted.monitors.bySlug('etl')?.state.status).toBe('down');
  });
});
