// What an alert storm costs the dispatcher: outbox queries, record transactions and wakes, counted
// through an outbox that wraps the real Store; and that claiming ahead loses no alert.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/alert/dispatcher.js';
import type { OutboxStore } from '../../src/engine/ports.js';
import type { Hook } from '../../src/core/hook.js';
import { silentLogger, type Logger } from '../../src/platform/log.js';
import { Store } from '../../src/store/store.js';
import { queueDownAlerts } from '../helpers/alert.js';
import { ScriptedHook } from '../helpers/scripted-hook.js';
import { tempDir } from '../helpers/temp.js';

describe('Dispatcher in an alert storm', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let now: number;
  let wakes: (number | null)[];
  let hooks: Map<string, Hook>;
  let dispatcher: Dispatcher | undefined;
  let calls: { pendingAlerts: number; records: number[] };
  let failRecords: number;

  beforeEach(() => {
    dir = tempDir();
    store = new Store(dir.path);
    now = 1_000_000;
    wakes = [];
    hooks = new Map();
    calls = { pendingAlerts: 0, records: [] };
    failRecords = 0;
  });
  afterEach(async () => {
    await dispatcher?.close(1_000);
    store.close();
    dir.remove();
  });

  /** The store, with every call counted; the next `failRecords` record calls throw. */
  const counted: OutboxStore = {
    pendingAlerts: (...a) => (calls.pendingAlerts++, store.pendingAlerts(...a)),
    recordAttempts: (outcomes) => {
      calls.records.push(outcomes.length);
      if (failRecords-- > 0) throw new Error('database or disk is full');
      store.recordAttempts(outcomes);
    },
  };

  function enqueue(hook: string, count: number): void {
    queueDownAlerts(store, hook, now, { count, slug: `m-${hook}-${Math.random()}` });
  }

  function start(list: Hook[], perHookConcurrency = 4, log: Logger = silentLogger): Dispatcher {
    hooks = new Map(list.map((h) => [h.name, h]));
    dispatcher = new Dispatcher({
      outbox: counted,
      hooks: () => hooks,
      now: () => now,
      wakeAt: (at) => wakes.push(at),
      log,
      perHookConcurrency,
      random: () => 0.5,
    });
    return dispatcher;
  }

  const states = () =>
    store.db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state ORDER BY state').all();
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it('delivers 50 alerts due at once to one hook with a handful of outbox queries', async () => {
    const ops = new ScriptedHook('ops');
    enqueue('ops', 50);
    const d = start([ops]);
    d.wake();
    await d.idle();
    expect(ops.calls).toBe(50);
    expect(states()).toEqual([{ state: 'delivered', n: 50 }]);
    // One query per claim of up to 32 rows; the last one also finds that nothing else is pending.
    expect(calls.pendingAlerts).toBe(2);
    expect(calls.records.reduce((a, b) => a + b, 0)).toBe(50);
    expect(calls.records.length).toBeLessThanOrEqual(3);
  });

  it('delivers an alert queued alone with one outbox query, and asks for no wake after', async () => {
    const ops = new ScriptedHook('ops');
    enqueue('ops', 1);
    const d = start([ops]);
    d.wake();
    await d.idle();
    expect(ops.calls).toBe(1);
    expect(calls.pendingAlerts).toBe(1);
    expect(wakes).toEqual([null, null]);
  });

  it('records the attempts that finish in one turn in one transaction, then wakes once', async () => {
    const ops = new ScriptedHook('ops');
    ops.hold = true;
    enqueue('ops', 8);
    const d = start([ops], 8);
    d.wake();
    expect(ops.waiting).toBe(8);
    wakes = [];
    ops.release();
    await d.idle();
    expect(calls.records).toEqual([8]);
    expect(wakes).toEqual([null]);
    expect(states()).toEqual([{ state: 'delivered', n: 8 }]);
  });

  it('holds every attempt of a batch it could not record, logs once, and sends them again', async () => {
    const errors: string[] = [];
    const log = { ...silentLogger, error: (message: string) => void errors.push(message) };
    const ops = new ScriptedHook('ops');
    enqueue('ops', 3);
    failRecords = 1;
    const d = start([ops], 4, log);
    d.wake();
    await d.idle();
    expect(ops.calls).toBe(3);
    expect(errors).toEqual(['cannot record a delivery; it will be sent again']);
    expect(states()).toEqual([{ state: 'pending', n: 3 }]);
    expect(wakes.at(-1)).toBe(now + 5_000);
    now += 4_999;
    d.wake();
    await d.idle();
    expect(ops.calls).toBe(3);
    now += 1;
    d.wake();
    await d.idle();
    expect(ops.calls).toBe(6);
    expect(states()).toEqual([{ state: 'delivered', n: 3 }]);
  });

  it('leaves the claimed alerts of a hook a reload removed pending, losing none', async () => {
    const ops = new ScriptedHook('ops');
    ops.hold = true;
    enqueue('ops', 6);
    const d = start([ops], 2);
    d.wake();
    expect(ops.waiting).toBe(2);
    hooks = new Map();
    d.refresh();
    ops.release();
    await d.idle();
    expect(ops.calls).toBe(2);
    // The four not started stay pending, for the daemon's rehoming (hook-renamed.test.ts).
    expect(states()).toEqual([
      { state: 'delivered', n: 2 },
      { state: 'pending', n: 4 },
    ]);
  });

  it('does not attempt again an alert of a removed hook once the hold after an unrecorded attempt ends', async () => {
    const ops = new ScriptedHook('ops');
    enqueue('ops', 1);
    failRecords = 1;
    const d = start([ops]);
    d.wake();
    await d.idle();
    expect(states()).toEqual([{ state: 'pending', n: 1 }]);
    hooks = new Map();
    d.refresh();
    now += 5_000;
    d.wake();
    await d.idle();
    expect(ops.calls).toBe(1);
    expect(states()).toEqual([{ state: 'pending', n: 1 }]);
  });

  it('sends the claimed alerts of a hook a reload changed through the new hook', async () => {
    const before = new ScriptedHook('ops');
    before.hold = true;
    enqueue('ops', 6);
    const d = start([before], 2);
    d.wake();
    const after = new ScriptedHook('ops');
    hooks = new Map([['ops', after]]);
    d.refresh();
    before.release();
    await d.idle();
    expect([before.calls, after.calls]).toEqual([2, 4]);
    expect(states()).toEqual([{ state: 'delivered', n: 6 }]);
  });

  it('starts a retry that falls due while its hook is still busy with other alerts', async () => {
    const ops = new ScriptedHook('ops');
    ops.answers = [{ ok: false, permanent: false, statusCode: 503, error: 'HTTP 503' }];
    enqueue('ops', 1);
    const d = start([ops], 2);
    d.wake();
    await d.idle();
    const retryAt = wakes.at(-1) ?? 0;
    expect(retryAt).toBeGreaterThan(now);
    ops.hold = true;
    enqueue('ops', 1);
    d.wake();
    await turn();
    // The retry falls due while the new alert is still being delivered: the timer starts it.
    now = retryAt;
    expect(wakes.at(-1)).toBe(retryAt);
    d.wake();
    expect(ops.waiting).toBe(2);
    ops.release();
    await d.idle();
    expect(states()).toEqual([{ state: 'delivered', n: 2 }]);
  });
});
