// Two real overdue daemons (real SQLite files, real HTTP between them): A's heartbeat feeds a
// monitor of B. When A's database turns read-only, A sends its /fail and stops, and B alerts on
// it through a real receiver. Each daemon has its own fake clock. The recipe: docs/operations.md.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/temp.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const MIN = 60_000;
const A_TOKEN = 'overdue-a-token-0123456789';

describe('two overdue instances watching each other', () => {
  let receiver: Receiver;
  let dirs: ReturnType<typeof tempDir>[];
  let daemons: Daemon[];
  beforeEach(async () => {
    receiver = await new Receiver().start();
    dirs = [tempDir(), tempDir()];
    daemons = [];
  });
  afterEach(async () => {
    for (const d of daemons) await d.close();
    for (const dir of dirs) dir.remove();
    await receiver.close();
  });

  it('alerts on the other when its database turns read-only', async () => {
    const clockB = new FakeClock(T0);
    const b = await startDaemon(
      configFrom(
        dirs[1]?.path ?? '',
        `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
hooks:
  ops:
    webhook: ${receiver.url}/ops
monitors:
  overdue-a:
    every: 1m
    grace: 30s
    token: ${A_TOKEN}
    notify: [ops]
`,
      ),
      clockB,
    );
    daemons.push(b);
    const clockA = new FakeClock(T0);
    const a = await startDaemon(
      configFrom(
        dirs[0]?.path ?? '',
        `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  heartbeat:
    url: ${b.url}/ping/${A_TOKEN}
    every: 1m
`,
      ),
      clockA,
    );
    daemons.push(a);
    /** Both clocks move on together, a minute at a time, so A's beats reach B as they happen. */
    const both = async (ms: number) => {
      for (let left = ms; left > 0; left -= MIN) {
        clockB.advance(Math.min(MIN, left));
        clockA.advance(Math.min(MIN, left));
        await a.health.idle();
        await b.dispatcher.idle();
      }
    };
    await a.health.idle(); // the first beat, at start: B's monitor is up
    await both(5 * MIN);
    expect(b.monitors.bySlug('overdue-a')?.state.status).toBe('up');
    expect(receiver.received).toEqual([]);

    a.store.db.pragma('query_only = ON');
    await both(MIN);
    const alerts = receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(alerts).toMatchObject([
      {
        event: 'down',
        reason: 'fail',
        monitor: { slug: 'overdue-a' },
        ping: { output: expect.stringMatching(/^database not writable: .*readonly/i) as unknown },
      },
    ]);
    await both(30 * MIN); // A stays silent; B does not alert again
    expect(receiver.received).toHaveLength(1);
    a.store.db.pragma('query_only = OFF');
  });
});
