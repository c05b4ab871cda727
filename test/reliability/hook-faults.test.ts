// Hook receivers that refuse connections, hang, or answer 500 for ten minutes: the alert is
// retried with backoff and delivered once the receiver is back, and meanwhile another monitor's
// deadlines and reminders fire at their exact times. Time moves by a fake clock; the receivers,
// the HTTP and the SQLite file are real.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { configYaml, TEST_PING_KEY as KEY } from '../helpers/config-yaml.js';
import { configFrom, startDaemon, turn } from '../helpers/daemon.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/temp.js';
import { writeFigures } from '../helpers/trials.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const FAULT_MS = 10 * 60_000;
// The longest a retry waits (5 min backoff cap, +25% jitter), plus a step.
const MAX_RETRY_WAIT_MS = 375_000 + 1_000;

type Fault = 'refuse' | 'hang' | 500;

describe.each(['refuse', 'hang', 500] as const)('a hook receiver that %s', (fault: Fault) => {
  const figures: Record<string, object> = {};
  let dir: ReturnType<typeof tempDir>;
  let flaky: Receiver;
  let good: Receiver;
  let clock: FakeClock;
  let daemon: Daemon | undefined;

  beforeEach(async () => {
    dir = tempDir();
    clock = new FakeClock(T0);
    good = await new Receiver().start();
    flaky = await new Receiver().start();
    if (fault === 'refuse')
      await flaky.close(); // nothing listens on its port any more
    else flaky.mode = fault;
  });
  afterEach(async () => {
    await daemon?.close();
    daemon = undefined;
    await good.close();
    // Already closed when it refused and the test ended before it came back.
    await flaky.close().catch(() => undefined);
    dir.remove();
  });
  afterAll(() => writeFigures(`hook-faults-${fault}`, figures));

  const config = () =>
    configFrom(
      dir.path,
      configYaml({
        hooks: {
          flaky: { webhook: `${flaky.url}/alert`, timeout: '200ms' },
          good: { webhook: `${good.url}/alert` },
        },
        monitors: {
          broken: { every: '1h', notify: ['flaky'] },
          steady: { every: '1m', grace: '0s', repeat: '1m', notify: ['good'] },
        },
      }),
    );

  /** Moves the fake clock by one second and lets the deliveries it started finish. */
  async function step(d: Daemon): Promise<void> {
    clock.advance(1_000);
    await turn();
    await d.dispatcher.idle();
  }

  async function heal(): Promise<void> {
    if (fault === 'refuse') await flaky.start(flaky.port);
    flaky.mode = 200;
  }

  it('delivers the alert once the receiver is back, and keeps the timer on time meanwhile', async () => {
    const d = (daemon = await startDaemon(config(), clock));
    expect((await fetch(`${d.url}/ping/${KEY}/steady`)).status).toBe(200);
    expect((await fetch(`${d.url}/ping/${KEY}/broken/fail`)).status).toBe(200);
    await d.dispatcher.idle();

    // Ten minutes of failure: the steady monitor's down alert and reminders arrive at their exact
    // times (each observed in the same one-second step as its deadline).
    let maxLagMs = 0;
    let seen = 0;
    while (clock.now() < T0 + FAULT_MS) {
      await step(d);
      for (const r of good.received.slice(seen)) {
        const at = Date.parse((JSON.parse(r.body) as { at: string }).at);
        maxLagMs = Math.max(maxLagMs, clock.now() - at);
      }
      seen = good.received.length;
    }
    const events = good.received.map((r) => (JSON.parse(r.body) as { event: string }).event);
    expect(events).toEqual(['down', ...Array<string>(9).fill('reminder')]);
    expect(maxLagMs).toBeLessThan(1_000);
    const attempts = () =>
      (
        d.store.db
          .prepare(
            `SELECT COUNT(*) AS n FROM deliveries JOIN outbox ON outbox.id = outbox_id WHERE hook = 'flaky'`,
          )
          .get() as { n: number }
      ).n;
    const failedAttempts = attempts();
    expect(failedAttempts).toBeGreaterThanOrEqual(5);

    await heal();
    const healedAt = clock.now();
    while (outboxState(d) !== 'delivered') {
      if (clock.now() - healedAt > MAX_RETRY_WAIT_MS) throw new Error('alert not delivered');
      await step(d);
    }
    expect(outboxState(d)).toBe('delivered');
    figures[String(fault)] = {
      faultMs: FAULT_MS,
      failedAttempts,
      deliveredAfterHealMs: clock.now() - healedAt,
      timerMaxLagMs: maxLagMs,
      remindersOnTime: events.length - 1,
    };
    console.log(`hook that ${fault}: ${JSON.stringify(figures[String(fault)])}`);
  });
});

function outboxState(d: Daemon): string {
  const row = d.store.db.prepare(`SELECT state FROM outbox WHERE hook = 'flaky'`).get() as {
    state: string;
  };
  return row.state;
}
