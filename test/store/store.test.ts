import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/core/state.js';
import { GroupCommit } from '../../src/store/group-commit.js';
import { Store } from '../../src/store/store.js';
import { pingRecord, storeFixture } from '../helpers/store.js';

describe('Store', () => {
  const s = storeFixture();

  const ping = pingRecord;

  it('runs in WAL mode with commits that leave fsync and checkpoints to WalSync', () => {
    expect(s.store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(s.store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
  });

  it('keeps monitor state across a reopen', () => {
    const id = s.store.addMonitor('backup', { ...initialState(5), status: 'down', lastPingAt: 7 });
    expect(s.reopen().loadMonitors().get('backup')).toEqual({
      id,
      state: { ...initialState(5), status: 'down', lastPingAt: 7 },
    });
  });

  it('refuses a database written by a newer schema, with the fix in the message', () => {
    s.store.db.pragma('user_version = 999');
    s.store.close();
    expect(() => new Store(s.dir)).toThrow(/newer overdue.*upgrade overdue/);
    // The fixture closes its store (already closed: a no-op) and removes the directory.
  });

  it('prunes all but the newest pings of one monitor only', () => {
    const a = s.store.addMonitor('a', initialState(0));
    const b = s.store.addMonitor('b', initialState(0));
    for (let i = 0; i < 20; i++) s.store.insertPing(ping(a, i));
    s.store.insertPing(ping(b, 0));
    s.store.keepPings(5);
    s.store.pingIndex.indexAll();
    const rows = s.store.db.prepare('SELECT monitor_id AS m, at FROM pings ORDER BY id').all();
    expect(rows).toEqual(
      [15, 16, 17, 18, 19].map((at) => ({ m: a, at })).concat([{ m: b, at: 0 }]),
    );
  });

  it('commits every item submitted in one turn in one transaction, then acknowledges each', async () => {
    const id = s.store.addMonitor('a', initialState(0));
    const batches: number[] = [];
    const commit = new GroupCommit<number>(
      s.store,
      (items) => {
        batches.push(items.length);
        for (const at of items) s.store.insertPing(ping(id, at));
        return () => undefined;
      },
      s.store.wal,
    );
    const acks = await Promise.all(
      [1, 2, 3].map((at) => new Promise<Error | null>((resolve) => commit.submit(at, resolve))),
    );
    expect(acks).toEqual([null, null, null]);
    expect(batches).toEqual([3]);
    expect(s.store.db.prepare('SELECT COUNT(*) AS n FROM pings').get()).toEqual({ n: 3 });
  });

  it('fails every item of a batch whose transaction fails, writes none and publishes nothing', async () => {
    const id = s.store.addMonitor('a', initialState(0));
    let published = false;
    const commit = new GroupCommit<number>(
      s.store,
      (items) => {
        for (const at of items) s.store.insertPing(ping(at === 2 ? 999 : id, at));
        return () => (published = true);
      },
      s.store.wal,
    );
    const acks = await Promise.all(
      [1, 2].map((at) => new Promise<Error | null>((resolve) => commit.submit(at, resolve))),
    );
    expect(acks.every((e) => e instanceof Error)).toBe(true);
    expect(published).toBe(false);
    expect(s.store.db.prepare('SELECT COUNT(*) AS n FROM pings').get()).toEqual({ n: 0 });
  });

  /** A failure of monitor `id` that went down and alerted: a transition outbox rows refer to. */
  const failed = (id: number) =>
    s.store.insertTransition(id, {
      slug: 'a',
      at: 1,
      from: 'up',
      to: 'down',
      reason: 'fail',
      deadlineAt: null,
      alert: 'down',
    });

  it('records a batch of delivery attempts all together, or none of them', () => {
    const id = s.store.addMonitor('a', initialState(0));
    const t = failed(id);
    s.store.enqueueAlert(t, 'ops', '{}', 1);
    s.store.enqueueAlert(t, 'pager', '{}', 1);
    const [ops, pager] = [
      ...s.store.pendingAlerts('ops', [], 9),
      ...s.store.pendingAlerts('pager', [], 9),
    ];
    const attempt = {
      at: 2,
      durationMs: 1,
      ok: true,
      permanent: false,
      statusCode: 200,
      error: null,
    };
    const outcome = (outboxId: number) =>
      ({ outboxId, attempt, state: 'delivered', nextAttemptAt: 3 }) as const;
    // The outbox row 999 does not exist: the whole batch is refused, the first row included.
    expect(() => s.store.recordAttempts([outcome(ops?.id ?? 0), outcome(999)])).toThrow();
    const rows = () => s.store.db.prepare('SELECT state FROM outbox ORDER BY id').all();
    expect(rows()).toEqual([{ state: 'pending' }, { state: 'pending' }]);
    s.store.recordAttempts([outcome(ops?.id ?? 0), outcome(pager?.id ?? 0)]);
    expect(rows()).toEqual([{ state: 'delivered' }, { state: 'delivered' }]);
    expect(s.store.db.prepare('SELECT COUNT(*) AS n FROM deliveries').get()).toEqual({ n: 2 });
  });

  it("lists a hook's pending alerts by next attempt, leaving out busy ones", () => {
    const id = s.store.addMonitor('a', initialState(0));
    const t = failed(id);
    for (const at of [30, 10, 20]) s.store.enqueueAlert(t, 'ops', '{}', at);
    s.store.enqueueAlert(t, 'pager', '{}', 5);
    const [soonest] = s.store.pendingAlerts('ops', [], 1);
    expect(soonest?.nextAttemptAt).toBe(10);
    const rest = s.store.pendingAlerts('ops', [soonest?.id ?? 0], 9);
    expect(rest.map((r) => r.nextAttemptAt)).toEqual([20, 30]);
  });
});
