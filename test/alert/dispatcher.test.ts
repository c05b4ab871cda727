import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dispatcher, PER_HOOK_CONCURRENCY, retryDelayMs } from '../../src/alert/dispatcher.js';
import { failed, type Hook } from '../../src/core/hook.js';
import { silentLogger } from '../../src/platform/log.js';
import { Store } from '../../src/store/store.js';
import { hookOf, queueDownAlerts } from '../helpers/alert.js';
import { ScriptedHook } from '../helpers/scripted-hook.js';
import { tempDir } from '../helpers/temp.js';

describe('Dispatcher', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let now: number;
  let wakeAt: number | null;
  let dispatcher: Dispatcher | undefined;

  beforeEach(() => {
    dir = tempDir();
    store = new Store(dir.path);
    now = 1_000_000;
    wakeAt = null;
  });
  afterEach(async () => {
    await dispatcher?.close(1_000);
    store.close();
    dir.remove();
  });

  function enqueue(hook: string, count = 1): void {
    queueDownAlerts(store, hook, now, { count, slug: `m-${hook}-${Math.random()}` });
  }

  function start(hooks: Hook[]): Dispatcher {
    dispatcher = new Dispatcher({
      outbox: store,
      hooks: () => new Map(hooks.map((h) => [h.name, h])),
      now: () => now,
      wakeAt: (at) => (wakeAt = at),
      log: silentLogger,
      random: () => 0.5,
    });
    return dispatcher;
  }

  const outbox = () => store.db.prepare('SELECT state, attempts FROM outbox ORDER BY id').all();
  const deliveries = () =>
    store.db.prepare('SELECT ok, permanent, error FROM deliveries ORDER BY id').all();

  it('delivers a pending alert once and records the attempt', async () => {
    const ops = new ScriptedHook('ops');
    enqueue('ops');
    const d = start([ops]);
    d.wake();
    await d.idle();
    expect(ops.calls).toBe(1);
    expect(outbox()).toEqual([{ state: 'delivered', attempts: 1 }]);
    expect(deliveries()).toEqual([{ ok: 1, permanent: 0, error: null }]);
    expect(wakeAt).toBeNull();
  });

  it('retries a transient failure after a backoff and then delivers', async () => {
    const ops = new ScriptedHook('ops');
    ops.answers = [failed('HTTP 503', false, 503)];
    enqueue('ops');
    const d = start([ops]);
    d.wake();
    await d.idle();
    expect(outbox()).toEqual([{ state: 'pending', attempts: 1 }]);
    expect(wakeAt).toBe(now + retryDelayMs(1, () => 0.5));
    now = wakeAt ?? 0;
    d.wake();
    await d.idle();
    expect(ops.calls).toBe(2);
    expect(outbox()).toEqual([{ state: 'delivered', attempts: 2 }]);
  });

  it('does not retry a permanent failure', async () => {
    const ops = new ScriptedHook('ops');
    ops.answers = [failed('HTTP 404', true, 404)];
    enqueue('ops');
    const d = start([ops]);
    d.wake();
    await d.idle();
    expect(outbox()).toEqual([{ state: 'failed', attempts: 1 }]);
    expect(wakeAt).toBeNull();
  });

  it('gives up on a transient failure after the give-up time', async () => {
    const ops = new ScriptedHook('ops');
    ops.answers = [failed('HTTP 503', false, 503)];
    enqueue('ops');
    now += 86_400_000;
    const d = start([ops]);
    d.wake();
    await d.idle();
    expect(outbox()).toEqual([{ state: 'failed', attempts: 1 }]);
  });

  it('never attempts nor gives up an alert whose hook left the config', async () => {
    // Rehoming it is the daemon's (test/alert/hook-renamed.test.ts); this dispatcher has none.
    enqueue('gone');
    const d = start([]);
    d.refresh();
    await d.idle();
    expect(outbox()).toEqual([{ state: 'pending', attempts: 0 }]);
    expect(deliveries()).toEqual([]);
  });

  it('keeps delivering to other hooks while one hook hangs', async () => {
    const slow = new ScriptedHook('slow');
    const fast = new ScriptedHook('fast');
    slow.hold = true;
    const slowAlerts = PER_HOOK_CONCURRENCY + 6;
    enqueue('slow', slowAlerts);
    enqueue('fast', 10);
    const d = start([slow, fast]);
    d.wake();
    await new Promise((resolve) => setImmediate(resolve));
    expect(fast.calls).toBe(10);
    expect(slow.calls).toBe(PER_HOOK_CONCURRENCY);
    slow.release();
    while (slow.calls < slowAlerts) {
      await new Promise((resolve) => setImmediate(resolve));
      slow.release();
    }
    await d.idle();
    expect(outbox().every((r) => (r as { state: string }).state === 'delivered')).toBe(true);
  });

  it('holds back a delivery it could not record, then sends it again and records it', async () => {
    const ops = new ScriptedHook('ops');
    enqueue('ops');
    let full = true;
    const d = (dispatcher = new Dispatcher({
      outbox: {
        pendingAlerts: (...a) => store.pendingAlerts(...a),
        recordAttempts: (...a) => {
          if (full)
            throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
          store.recordAttempts(...a);
        },
      },
      hooks: () => new Map([['ops', ops]]),
      now: () => now,
      wakeAt: (at) => (wakeAt = at),
      log: silentLogger,
    }));
    d.wake();
    await d.idle();
    // Not sent again at once (a flood of duplicates while the disk is full), but not lost either.
    expect(ops.calls).toBe(1);
    expect(outbox()).toEqual([{ state: 'pending', attempts: 0 }]);
    expect(wakeAt).toBe(now + 5_000);
    full = false;
    now += 4_999;
    d.wake();
    await d.idle();
    expect(ops.calls).toBe(1);
    now += 1;
    d.wake();
    await d.idle();
    expect(ops.calls).toBe(2);
    expect(outbox()).toEqual([{ state: 'delivered', attempts: 1 }]);
  });

  it('runs as many deliveries at once as a hook allows (a command hook: 4 processes)', async () => {
    const webhook = new ScriptedHook('webhook');
    const command = new ScriptedHook('command', 4);
    webhook.hold = true;
    command.hold = true;
    enqueue('webhook', 20);
    enqueue('command', 20);
    const d = start([webhook, command]);
    d.wake();
    await new Promise((resolve) => setImmediate(resolve));
    expect(webhook.calls).toBe(PER_HOOK_CONCURRENCY);
    expect(command.calls).toBe(4);
    expect(hookOf(['command: [true]']).concurrency).toBe(4);
    expect(hookOf(['webhook: http://127.0.0.1:9/']).concurrency).toBeUndefined();
    while (webhook.calls + command.calls < 40) {
      webhook.release();
      command.release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    webhook.release();
    command.release();
    await d.idle();
  });

  it('waits as long as the receiver asked when that is longer than the backoff', async () => {
    const ops = new ScriptedHook('ops');
    ops.answers = [{ ...failed('HTTP 429', false, 429), retryAfterMs: 90_000 }];
    enqueue('ops');
    const d = start([ops]);
    d.wake();
    await d.idle();
    expect(wakeAt).toBe(now + 90_000);
  });

  it('keeps its backoff when the receiver asks for less', async () => {
    const ops = new ScriptedHook('ops');
    ops.answers = [{ ...failed('HTTP 503', false, 503), retryAfterMs: 500 }];
    enqueue('ops');
    const d = start([ops]);
    d.wake();
    await d.idle();
    expect(wakeAt).toBe(now + retryDelayMs(1, () => 0.5));
  });

  it('waits at most an hour, whatever the receiver asks', async () => {
    const ops = new ScriptedHook('ops');
    ops.answers = [{ ...failed('HTTP 429', false, 429), retryAfterMs: 86_400_000 }];
    enqueue('ops');
    const d = start([ops]);
    d.wake();
    await d.idle();
    expect(wakeAt).toBe(now + 3_600_000);
  });

  it('grows the retry delay exponentially up to a cap', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, mid))).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(retryDelayMs(30, mid)).toBe(300_000);
    expect(retryDelayMs(1, () => 0)).toBe(1_500);
    expect(retryDelayMs(1, () => 1)).toBe(2_500);
  });
});
