// The dispatcher with a real webhook hook, a real receiver and the real Store, on a fake clock:
// what a receiver that rate-limits, or is gone for a while, ends up receiving.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/alert/dispatcher.js';
import type { Hook } from '../../src/core/hook.js';
import { initialState } from '../../src/core/state.js';
import { silentLogger } from '../../src/platform/log.js';
import { Store } from '../../src/store/store.js';
import { hookOf, sampleAlert } from '../helpers/alert.js';
import { Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/temp.js';

describe('Dispatcher delivering over HTTP', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let now: number;
  let wakeAt: number | null;
  let dispatcher: Dispatcher;
  let receiver: Receiver;
  let monitorId: number;

  beforeEach(async () => {
    dir = tempDir();
    store = new Store(dir.path);
    now = 1_000_000;
    wakeAt = null;
    receiver = await new Receiver().start();
    monitorId = store.addMonitor('nightly-backup', initialState(now));
  });
  afterEach(async () => {
    await dispatcher.close(1_000);
    await receiver.close();
    store.close();
    dir.remove();
  });

  function start(hook: Hook): void {
    dispatcher = new Dispatcher({
      outbox: store,
      hooks: () => new Map([['ops', hook]]),
      now: () => now,
      wakeAt: (at) => (wakeAt = at),
      log: silentLogger,
      random: () => 0.5,
    });
  }

  /** Queues an alert for transition number `n`, now. */
  function enqueue(n: number): void {
    const t = store.insertTransition(monitorId, {
      slug: 'nightly-backup',
      at: now,
      from: 'late',
      to: 'down',
      reason: 'timeout',
      deadlineAt: now,
      alert: 'down',
    });
    store.enqueueAlert(t, 'ops', JSON.stringify(sampleAlert({ transition_id: n })), now);
  }

  /** Moves the fake clock to `end`, running every retry that falls due on the way. */
  async function runUntil(end: number): Promise<void> {
    while (wakeAt !== null && wakeAt <= end) {
      now = Math.max(now, wakeAt);
      dispatcher.wake();
      await dispatcher.idle();
    }
    now = end;
  }

  async function deliverNow(): Promise<void> {
    dispatcher.wake();
    await dispatcher.idle();
  }

  it('honours Retry-After: the retry waits until the time the receiver asked for', async () => {
    receiver.mode = 429;
    receiver.answerHeaders = { 'retry-after': '120' };
    start(hookOf([`webhook: ${receiver.url}/`]));
    enqueue(1);
    const first = now;
    await deliverNow();
    expect(wakeAt).toBe(first + 120_000);
    receiver.mode = 200;
    await runUntil(first + 119_999);
    expect(receiver.received).toHaveLength(1);
    await runUntil(first + 120_000);
    expect(receiver.received).toHaveLength(2);
    expect(store.db.prepare('SELECT state FROM outbox').all()).toEqual([{ state: 'delivered' }]);
  });

  it('delivers every alert to a receiver that was down for two minutes once it is back', async () => {
    const port = receiver.port;
    await receiver.close();
    start(hookOf([`webhook: http://127.0.0.1:${port}/alerts`]));
    const downSince = now;
    for (const [n, at] of [
      [1, 0],
      [2, 30_000],
      [3, 90_000],
    ] as const) {
      await runUntil(downSince + at);
      enqueue(n);
      await deliverNow();
    }
    await runUntil(downSince + 120_000);
    const refused = store.db.prepare('SELECT count(*) AS n FROM deliveries WHERE ok = 0').get();
    expect((refused as { n: number }).n).toBeGreaterThanOrEqual(3);
    expect(receiver.received).toHaveLength(0);

    receiver = await new Receiver().start(port);
    await runUntil(downSince + 24 * 3_600_000);
    const ids = receiver.received.map(
      (r) => (JSON.parse(r.body) as { transition_id: number }).transition_id,
    );
    expect(ids.sort()).toEqual([1, 2, 3]);
    expect(store.db.prepare('SELECT DISTINCT state FROM outbox').all()).toEqual([
      { state: 'delivered' },
    ]);
  });
});
