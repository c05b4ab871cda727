// The dispatcher with a grouped hook (`group:`), on a real store and a time the test moves: the
// window's boundaries, `max`, groups in flight, retries and give-ups per alert, and a reload.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/alert/dispatcher.js';
import type { Alert } from '../../src/core/alert.js';
import type { DeliveryResult, Hook, HookGroup } from '../../src/core/hook.js';
import { Counters } from '../../src/core/counters.js';
import { silentLogger, type Logger } from '../../src/platform/log.js';
import { Store } from '../../src/store/store.js';
import { queueDownAlerts } from '../helpers/alert.js';
import { ScriptedHook } from '../helpers/scripted-hook.js';
import { tempDir } from '../helpers/temp.js';

/** A scripted hook that delivers groups: each call's alerts are kept. */
class GroupHook extends ScriptedHook {
  readonly groups: Alert[][] = [];
  constructor(
    name: string,
    readonly group: HookGroup,
    concurrency?: number,
  ) {
    super(name, concurrency);
  }
  deliverGroup(alerts: readonly Alert[]): Promise<DeliveryResult> {
    this.groups.push([...alerts]);
    return this.deliver();
  }
}

const failure: DeliveryResult = { ok: false, permanent: false, statusCode: 503, error: 'HTTP 503' };

describe('Dispatcher with a grouped hook', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let now: number;
  let wakes: (number | null)[];
  let hooks: Map<string, Hook>;
  let dispatcher: Dispatcher | undefined;
  let counters: Counters;

  beforeEach(() => {
    dir = tempDir();
    store = new Store(dir.path);
    now = 1_000_000;
    wakes = [];
    hooks = new Map();
    counters = new Counters();
    log = silentLogger;
  });
  afterEach(async () => {
    await dispatcher?.close(1_000);
    store.close();
    dir.remove();
  });

  let log: Logger = silentLogger;

  function start(...list: Hook[]): Dispatcher {
    hooks = new Map(list.map((h) => [h.name, h]));
    dispatcher = new Dispatcher({
      outbox: store,
      hooks: () => hooks,
      now: () => now,
      wakeAt: (at) => wakes.push(at),
      log,
      counters,
      random: () => 0.5,
    });
    return dispatcher;
  }

  const enqueue = (count: number, at = now) =>
    queueDownAlerts(store, 'ops', at, { count, slug: `m-${Math.random()}` });
  const sizes = (h: GroupHook) => h.groups.map((g) => g.length);
  const states = () =>
    store.db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state ORDER BY state').all();
  const advance = async (d: Dispatcher, ms: number) => {
    now += ms;
    d.wake();
    await d.idle();
  };

  it('sends the alerts due together as one group when wait has passed, not a ms before', async () => {
    const ops = new GroupHook('ops', { waitMs: 1_000, max: 10 });
    enqueue(3);
    const d = start(ops);
    d.wake();
    await d.idle();
    expect(ops.calls).toBe(0);
    expect(wakes.at(-1)).toBe(now + 1_000);
    await advance(d, 999);
    expect(ops.calls).toBe(0);
    await advance(d, 1);
    expect(sizes(ops)).toEqual([3]);
    expect(states()).toEqual([{ state: 'delivered', n: 3 }]);
  });

  it('adds alerts that fall due while the window is open, without moving its end', async () => {
    const ops = new GroupHook('ops', { waitMs: 1_000, max: 10 });
    enqueue(1);
    const d = start(ops);
    d.wake();
    await advance(d, 600);
    enqueue(2);
    await advance(d, 0);
    expect(ops.calls).toBe(0);
    await advance(d, 400);
    expect(sizes(ops)).toEqual([3]);
  });

  it('sends a group at once when exactly max alerts are in hand', async () => {
    const ops = new GroupHook('ops', { waitMs: 60_000, max: 5 });
    enqueue(5);
    const d = start(ops);
    d.wake();
    await d.idle();
    expect(sizes(ops)).toEqual([5]);
  });

  it('splits max + 1 alerts: max at once, the last one when its own window ends', async () => {
    const ops = new GroupHook('ops', { waitMs: 60_000, max: 5 });
    enqueue(6);
    const d = start(ops);
    d.wake();
    await d.idle();
    expect(sizes(ops)).toEqual([5]);
    await advance(d, 59_999);
    expect(sizes(ops)).toEqual([5]);
    await advance(d, 1);
    expect(sizes(ops)).toEqual([5, 1]);
    expect(states()).toEqual([{ state: 'delivered', n: 6 }]);
  });

  it('records one grouped attempt per group, each alert’s delivery row pointing at it', async () => {
    const ops = new GroupHook('ops', { waitMs: 60_000, max: 4 });
    enqueue(6);
    const d = start(ops);
    d.wake();
    await advance(d, 60_000);
    expect(store.db.prepare('SELECT id, size, ok FROM delivery_groups').all()).toEqual([
      { id: 1, size: 4, ok: 1 },
      { id: 2, size: 2, ok: 1 },
    ]);
    const rows = store.db.prepare('SELECT group_id AS g, count(*) AS n FROM deliveries GROUP BY g');
    expect(rows.all()).toEqual([
      { g: 1, n: 4 },
      { g: 2, n: 2 },
    ]);
    // Alerts are counted one by one, groups apart.
    expect(counters.deliveries.get('ops')?.get('ok')).toBe(6);
    expect(counters.groups.get('ops')?.get('ok')).toBe(2);
  });

  it('runs at most the hook’s concurrency of groups at once', async () => {
    const ops = new GroupHook('ops', { waitMs: 60_000, max: 2 }, 2);
    ops.hold = true;
    enqueue(10);
    const d = start(ops);
    d.wake();
    expect(ops.waiting).toBe(2);
    ops.hold = false;
    ops.release();
    await d.idle();
    expect(sizes(ops)).toEqual([2, 2, 2, 2, 2]);
  });

  it('makes every alert of a failed group pending with a backoff, then sends them again as a group', async () => {
    const ops = new GroupHook('ops', { waitMs: 1_000, max: 10 });
    ops.answers = [failure];
    enqueue(3);
    const d = start(ops);
    d.wake();
    await advance(d, 1_000);
    expect(states()).toEqual([{ state: 'pending', n: 3 }]);
    const next = store.db.prepare('SELECT DISTINCT next_attempt_at AS at FROM outbox').all();
    // The first retry's backoff, 2 s (random 0.5: no jitter), from the attempt.
    expect(next).toEqual([{ at: now + 2_000 }]);
    await advance(d, 2_000);
    await advance(d, 1_000);
    expect(sizes(ops)).toEqual([3, 3]);
    expect(states()).toEqual([{ state: 'delivered', n: 3 }]);
    expect(store.db.prepare('SELECT ok, size FROM delivery_groups').all()).toEqual([
      { ok: 0, size: 3 },
      { ok: 1, size: 3 },
    ]);
  });

  it('waits as long as the receiver asked (Retry-After) before a group is tried again', async () => {
    const ops = new GroupHook('ops', { waitMs: 1_000, max: 10 });
    ops.answers = [{ ...failure, statusCode: 429, retryAfterMs: 120_000 }];
    enqueue(2);
    const d = start(ops);
    d.wake();
    await advance(d, 1_000);
    const next = store.db.prepare('SELECT DISTINCT next_attempt_at AS at FROM outbox').all();
    expect(next).toEqual([{ at: now + 120_000 }]);
  });

  it('gives up each alert of a failed group on its own, by its age', async () => {
    const ops = new GroupHook('ops', { waitMs: 1_000, max: 10 });
    ops.answers = [failure];
    enqueue(1, now - 86_400_000);
    enqueue(2);
    const d = start(ops);
    d.wake();
    await advance(d, 1_000);
    expect(sizes(ops)).toEqual([3]);
    expect(states()).toEqual([
      { state: 'failed', n: 1 },
      { state: 'pending', n: 2 },
    ]);
  });

  it('gives up every alert of a group that failed permanently', async () => {
    const ops = new GroupHook('ops', { waitMs: 1_000, max: 10 });
    ops.answers = [{ ...failure, statusCode: 400, permanent: true }];
    enqueue(3);
    const d = start(ops);
    d.wake();
    await advance(d, 1_000);
    expect(states()).toEqual([{ state: 'failed', n: 3 }]);
    expect(counters.groups.get('ops')?.get('failed')).toBe(1);
  });

  it('delivers alerts one by one through a hook that has a group but cannot deliver one', async () => {
    const ops = Object.assign(new ScriptedHook('ops'), { group: { waitMs: 1_000, max: 10 } });
    enqueue(3);
    const d = start(ops);
    d.wake();
    await d.idle();
    expect(ops.calls).toBe(3);
  });

  it('applies a group a reload changed to the alerts not yet sent', async () => {
    const before = new GroupHook('ops', { waitMs: 60_000, max: 10 });
    enqueue(2);
    const d = start(before);
    d.wake();
    await d.idle();
    const after = new GroupHook('ops', { waitMs: 60_000, max: 2 });
    hooks = new Map([['ops', after]]);
    d.refresh();
    await d.idle();
    expect([sizes(before), sizes(after)]).toEqual([[], [2]]);
  });

  it('sends one by one the collected alerts of a hook a reload made ungrouped', async () => {
    const before = new GroupHook('ops', { waitMs: 60_000, max: 10 });
    enqueue(2);
    const d = start(before);
    d.wake();
    await d.idle();
    const after = new ScriptedHook('ops');
    hooks = new Map([['ops', after]]);
    d.refresh();
    await d.idle();
    expect([before.calls, after.calls]).toEqual([0, 2]);
  });

  it('leaves the collected alerts of a grouped hook a reload removed pending, for rehoming', async () => {
    const ops = new GroupHook('ops', { waitMs: 60_000, max: 10 });
    enqueue(3);
    const d = start(ops);
    d.wake();
    await d.idle();
    hooks = new Map();
    d.refresh();
    await advance(d, 60_000);
    expect(ops.calls).toBe(0);
    expect(states()).toEqual([{ state: 'pending', n: 3 }]);
  });

  it('logs one line per grouped attempt, with its size and monitors, not one per alert', async () => {
    const lines: [string, Record<string, unknown> | undefined][] = [];
    const keep = (msg: string, fields?: Record<string, unknown>) => void lines.push([msg, fields]);
    log = { debug: keep, info: keep, warn: keep, error: keep };
    const ops = new GroupHook('ops', { waitMs: 60_000, max: 3 });
    queueDownAlerts(store, 'ops', now, { count: 3, slug: 'nightly' });
    const d = start(ops);
    d.wake();
    await d.idle();
    expect(lines).toEqual([
      [
        'alert group delivered',
        expect.objectContaining({
          hook: 'ops',
          alerts: 3,
          monitors: 'nightly-backup,nightly-backup,nightly-backup',
        }),
      ],
    ]);
  });
});
