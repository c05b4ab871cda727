// While the database cannot be written (disk full), a monitor that goes down is still alerted:
// from memory, marked as unrecorded, once per monitor per outage; when writes succeed again the
// down is recorded once, and the hooks that took it from memory get no second copy. The daemon's
// parts wired as daemon.ts wires them, on a real SQLite file behind a store that can be made to
// throw SQLITE_FULL, with real webhook receivers and a fake clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/alert/dispatcher.js';
import type { Config } from '../../src/config/types.js';
import type { Hook } from '../../src/core/hook.js';
import { Counters } from '../../src/core/counters.js';
import { Monitors } from '../../src/engine/monitors.js';
import type { MonitorStore } from '../../src/engine/ports.js';
import { Scheduler } from '../../src/engine/scheduler.js';
import { createHooks } from '../../src/hooks/registry.js';
import { UNRECORDED_LINE } from '../../src/hooks/text/alert-text.js';
import { silentLogger } from '../../src/platform/log.js';
import { Store } from '../../src/store/store.js';
import { configYaml } from '../helpers/config-yaml.js';
import { configFrom, turn } from '../helpers/daemon.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { Receiver } from '../helpers/receiver.js';
import { ScriptedHook } from '../helpers/scripted-hook.js';
import { tempDir } from '../helpers/temp.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
// `every: 1m`, `grace: 0s`: the monitor is down one minute after it first appears.
const DOWN_AT = T0 + 60_000;

/** The real store, whose transactions throw SQLITE_FULL while `full` is set. */
function failingStore(store: Store): MonitorStore & { full: boolean } {
  return {
    full: false,
    loadMonitors: () => store.loadMonitors(),
    addMonitor: (...a) => store.addMonitor(...a),
    saveState: (...a) => store.saveState(...a),
    insertPing: (...a) => store.insertPing(...a),
    keepPings: (...a) => store.keepPings(...a),
    insertTransition: (...a) => store.insertTransition(...a),
    enqueueAlert: (...a) => store.enqueueAlert(...a),
    enqueueSentAlert: (...a) => store.enqueueSentAlert(...a),
    lastMeasured: (...a) => store.lastMeasured(...a),
    transaction(fn) {
      if (this.full)
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      return store.transaction(fn);
    },
  };
}

describe('a down while the database cannot be written', () => {
  let dir: ReturnType<typeof tempDir>;
  let clock: FakeClock;
  let store: Store;
  let faulty: ReturnType<typeof failingStore>;
  let hooks: Map<string, Hook>;
  let dispatcher: Dispatcher;
  let monitors: Monitors;
  let schedulers: Scheduler[];
  let json: Receiver;
  let text: Receiver;

  beforeEach(async () => {
    dir = tempDir();
    clock = new FakeClock(T0);
    json = await new Receiver().start();
    text = await new Receiver().start();
  });
  afterEach(async () => {
    for (const s of schedulers) s.close();
    await dispatcher.close(1_000);
    store.close();
    await Promise.all([json.close(), text.close()]);
    dir.remove();
  });

  function config(maintenance?: string): Config {
    return configFrom(
      dir.path,
      configYaml({
        maintenance,
        hooks: {
          json: { webhook: `${json.url}/alert` },
          text: { webhook: { url: `${text.url}/alert`, format: 'text', body: '{{message}}' } },
        },
        monitors: { backup: { every: '1m', grace: '0s', notify: ['json', 'text'] } },
      }),
    );
  }

  /** As daemon.ts wires them, with the failing store in front of the monitors. */
  function start(c: Config): void {
    store = new Store(c.server.dataDir);
    faulty = failingStore(store);
    hooks = createHooks(c.hooks);
    const deadlines = new Scheduler(clock, (slugs, at) => monitors.onDue(slugs, at));
    const outboxTimer = new Scheduler(clock, () => dispatcher.wake());
    schedulers = [deadlines, outboxTimer];
    dispatcher = new Dispatcher({
      outbox: store,
      hooks: () => hooks,
      now: () => clock.now(),
      wakeAt: (at) => (at === null ? outboxTimer.delete('o') : outboxTimer.set('o', at)),
      log: silentLogger,
      random: () => 0.5,
    });
    monitors = new Monitors({
      store: faulty,
      provisioned: () => [],
      arm: (slug, at) => (at === null ? deadlines.delete(slug) : deadlines.set(slug, at)),
      alertsQueued: () => dispatcher.wake(),
      alertUnrecorded: (alert, names) => dispatcher.sendUnrecorded(alert, names),
      counters: new Counters(),
      log: silentLogger,
    });
    monitors.sync(c, clock.now());
  }

  /** Moves the fake clock to `at`, a second at a time, each step's deliveries finished. */
  async function until(at: number): Promise<void> {
    while (clock.now() < at) {
      clock.advance(1_000);
      await turn();
      await dispatcher.idle();
    }
  }

  const downs = () =>
    (
      store.db.prepare(`SELECT COUNT(*) AS n FROM transitions WHERE to_status = 'down'`).get() as {
        n: number;
      }
    ).n;
  const outbox = () =>
    store.db.prepare('SELECT hook, state, attempts FROM outbox ORDER BY hook').all();

  it('is sent from memory, marked unrecorded, once however long the fault lasts', async () => {
    start(config());
    faulty.full = true;
    await until(DOWN_AT + 30_000);

    expect(json.received).toHaveLength(1);
    const alert = JSON.parse(json.received[0]?.body ?? '{}') as Record<string, unknown>;
    expect(alert).toMatchObject({ event: 'down', unrecorded: true, transition_id: 0 });
    expect(text.received).toHaveLength(1);
    expect(text.received[0]?.body.split('\n')[0]).toBe(UNRECORDED_LINE);
    expect(downs()).toBe(0);
  });

  it('is not sent from memory inside a maintenance window', async () => {
    start(config('  - from: 2026-05-01T10:00Z\n    until: 2026-05-01T11:00Z'));
    faulty.full = true;
    await until(DOWN_AT + 30_000);
    expect([json.received.length, text.received.length]).toEqual([0, 0]);
  });

  it('is recorded once when writes succeed again, and not sent a second time', async () => {
    start(config());
    faulty.full = true;
    await until(DOWN_AT + 30_000);
    faulty.full = false;
    await until(DOWN_AT + 5 * 60_000);

    expect(downs()).toBe(1);
    expect([json.received.length, text.received.length]).toEqual([1, 1]);
    expect(outbox()).toEqual([
      { hook: 'json', state: 'delivered', attempts: 1 },
      { hook: 'text', state: 'delivered', attempts: 1 },
    ]);
    const note = store.db.prepare('SELECT ok, error FROM deliveries').all();
    expect(note).toContainEqual({ ok: 1, error: expect.stringMatching(/from memory/) as string });
  });

  it('goes through the outbox to a hook that failed to take it from memory', async () => {
    text.mode = 500;
    start(config());
    faulty.full = true;
    await until(DOWN_AT + 30_000);
    text.mode = 200;
    faulty.full = false;
    await until(DOWN_AT + 5 * 60_000);

    expect(json.received).toHaveLength(1);
    // The failed attempt from memory, then the recorded alert.
    expect(text.received).toHaveLength(2);
    expect(text.received[1]?.body.split('\n')[0]).not.toBe(UNRECORDED_LINE);
    expect(outbox()).toEqual([
      { hook: 'json', state: 'delivered', attempts: 1 },
      { hook: 'text', state: 'delivered', attempts: 1 },
    ]);
  });

  it('is recorded only once its deliveries from memory have finished, and not sent again', async () => {
    start(config());
    const slow = new ScriptedHook('json');
    slow.hold = true;
    hooks.set('json', slow);
    faulty.full = true;
    // Not `until`: it waits for the deliveries, and this one is held.
    clock.advanceTo(DOWN_AT);
    await turn();
    expect(slow.waiting).toBe(1);
    faulty.full = false;
    clock.advance(5_000);
    await turn();
    // Still sending: which hooks took it is not known yet, so the down waits to be recorded.
    expect(downs()).toBe(0);
    slow.release();
    await until(DOWN_AT + 60_000);
    expect(downs()).toBe(1);
    expect(slow.calls).toBe(1);
    expect(text.received).toHaveLength(1);
  });
});
