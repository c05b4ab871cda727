import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { initialState } from '../../src/core/state.js';
import { migrations } from '../../src/store/migrations.js';
import { PingIndex } from '../../src/store/ping-index.js';
import { DATABASE_FILE, Store } from '../../src/store/store.js';
import { pingRecord, storeFixture } from '../helpers/store.js';
import { tempDir } from '../helpers/temp.js';

const ping = pingRecord;

const ALL = Number.MAX_SAFE_INTEGER;
/** The `at` of a monitor's pings, newest first, read as the status page reads them. */
const ats = (store: Store, monitorId: number, before = ALL, limit = 1000) =>
  store.history.pings(monitorId, { before, limit }).map((p) => p.at);

describe('pings indexed by monitor in bulk', () => {
  const s = storeFixture();

  it('stores a batch of pings of many monitors on a few pages, not one page per monitor', () => {
    // 2 000 monitors with 100 pings of history each, all indexed: a commit of one new ping per
    // monitor wrote each monitor's leaf of the old index on the pings, 819 pages; now 25.
    const store = s.store;
    const ids = Array.from({ length: 2_000 }, (_, i) => store.addMonitor(`m${i}`, initialState(0)));
    store.transaction(() => {
      for (let at = 0; at < 100; at++) for (const id of ids) store.insertPing(ping(id, at));
    });
    store.pingIndex.indexAll();
    const wal = join(s.dir, `${DATABASE_FILE}-wal`);
    const before = statSync(wal).size;
    store.transaction(() => {
      for (const id of ids) store.insertPing(ping(id, 100));
    });
    const pages = (statSync(wal).size - before) / (4096 + 24);
    expect(pages).toBeLessThan(100);
  });

  it('has no per-monitor index on the pings table', () => {
    const indexes = s.store.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'pings'")
      .all();
    expect(indexes).toEqual([]);
  });

  it("reads a monitor's pings newest first across indexed and not yet indexed ones, a page at a time", () => {
    const a = s.store.addMonitor('a', initialState(0));
    const b = s.store.addMonitor('b', initialState(0));
    for (let at = 1; at <= 5; at++) s.store.insertPing(ping(at % 2 === 0 ? b : a, at));
    s.store.pingIndex.indexAll();
    for (let at = 6; at <= 10; at++) s.store.insertPing(ping(at % 2 === 0 ? b : a, at));
    expect(s.store.pingIndex.listed).toBe(5);
    expect(ats(s.store, a)).toEqual([9, 7, 5, 3, 1]);
    expect(ats(s.store, b)).toEqual([10, 8, 6, 4, 2]);
    // Pages cut by id: the second starts below the first's last id.
    const first = s.store.history.pings(a, { before: ALL, limit: 2 });
    const last = first[first.length - 1]?.id ?? 0;
    expect(first.map((p) => p.at)).toEqual([9, 7]);
    expect(ats(s.store, a, last, 2)).toEqual([5, 3]);
    expect(s.store.history.recent(a, 3).pings.map((p) => p.at)).toEqual([9, 7, 5]);
  });

  it('reads the same pings after a restart, before and after they are indexed', () => {
    const a = s.store.addMonitor('a', initialState(0));
    for (let at = 1; at <= 4; at++) s.store.insertPing(ping(a, at));
    s.store.pingIndex.indexAll();
    for (let at = 5; at <= 8; at++) s.store.insertPing(ping(a, at));
    const store = s.reopen();
    expect(store.pingIndex.listed).toBe(4);
    expect(ats(store, a)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    store.pingIndex.indexAll();
    expect(store.pingIndex.listed).toBe(0);
    expect(ats(store, a)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('indexes in steps once enough pings are listed, and reads every ping once between steps', async () => {
    const dir = tempDir();
    const store = new Store(dir.path, { pingIndex: { unindexedMost: 30, stepEntries: 5 } });
    try {
      const ids = Array.from({ length: 6 }, (_, i) => store.addMonitor(`m${i}`, initialState(0)));
      for (let at = 0; at < 30; at++) store.insertPing(ping(ids[at % 6] as number, at));
      const expected = ids.map((id) => ats(store, id));
      // The 30th ping started a pass: it runs one step per turn of the event loop.
      let steps = 0;
      while (store.pingIndex.listed > 0) {
        await new Promise((resolve) => setImmediate(resolve));
        expect(ids.map((id) => ats(store, id))).toEqual(expected);
        steps++;
      }
      expect(steps).toBeGreaterThan(1);
      const entries = store.db.prepare('SELECT count(*) FROM ping_index').pluck().get();
      expect(entries).toBe(30);
    } finally {
      store.close();
      dir.remove();
    }
  });

  it('loses no ping when it stops in the middle of a pass', () => {
    const dir = tempDir();
    const limits = { pingIndex: { unindexedMost: 1_000_000, stepEntries: 3 } };
    let store = new Store(dir.path, limits);
    try {
      const ids = Array.from({ length: 4 }, (_, i) => store.addMonitor(`m${i}`, initialState(0)));
      for (let at = 0; at < 20; at++) store.insertPing(ping(ids[at % 4] as number, at));
      store.pingIndex.step();
      store.close();
      store = new Store(dir.path, limits);
      expect(store.pingIndex.listed).toBe(20);
      const all = () => ids.flatMap((id) => ats(store, id)).sort((x, y) => x - y);
      expect(all()).toEqual(Array.from({ length: 20 }, (_, i) => i));
      store.pingIndex.indexAll();
      expect(all()).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(store.db.prepare('SELECT count(*) FROM ping_index').pluck().get()).toBe(20);
    } finally {
      store.close();
      dir.remove();
    }
  });

  it('never reads a ping whose transaction rolled back, even when its id is given again', () => {
    const a = s.store.addMonitor('a', initialState(0));
    const b = s.store.addMonitor('b', initialState(0));
    expect(() =>
      s.store.transaction(() => {
        s.store.insertPing(ping(a, 1));
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    s.store.insertPing(ping(b, 2));
    expect(ats(s.store, a)).toEqual([]);
    expect(ats(s.store, b)).toEqual([2]);
    s.store.pingIndex.indexAll();
    expect(ats(s.store, a)).toEqual([]);
    expect(ats(s.store, b)).toEqual([2]);
  });

  it('lists only the pings of transactions that committed, a savepoint rolled back inside one too', () => {
    const a = s.store.addMonitor('a', initialState(0));
    expect(() =>
      s.store.transaction(() => {
        s.store.insertPing(ping(a, 1));
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(s.store.pingIndex.listed).toBe(0);
    s.store.transaction(() => {
      s.store.insertPing(ping(a, 2));
      expect(() =>
        s.store.transaction(() => {
          s.store.insertPing(ping(a, 3));
          throw new Error('savepoint rolled back');
        }),
      ).toThrow('savepoint rolled back');
      s.store.insertPing(ping(a, 4));
    });
    expect(s.store.pingIndex.listed).toBe(2);
    expect(ats(s.store, a)).toEqual([4, 2]);
  });

  it('refuses a ping stored in a transaction that would not list it, and a step inside one', () => {
    const a = s.store.addMonitor('a', initialState(0));
    expect(() => s.store.db.transaction(() => s.store.insertPing(ping(a, 1)))()).toThrow(
      'Store.transaction() or writeBatch()',
    );
    expect(() => s.store.transaction(() => s.store.pingIndex.step())).toThrow('outside');
    expect(ats(s.store, a)).toEqual([]);
    s.store.transaction(() => s.store.insertPing(ping(a, 2)));
    expect(ats(s.store, a)).toEqual([2]);
  });

  it('prunes to keep-pings as it indexes, and a restart still knows the last ping and success', () => {
    const a = s.store.addMonitor('a', initialState(0));
    s.store.insertPing(ping(a, 1));
    for (let at = 2; at <= 30; at++) s.store.insertPing(ping(a, at, 'fail'));
    s.store.insertPing(ping(a, 31, 'log'));
    s.store.keepPings(1);
    s.store.pingIndex.indexAll();
    expect(ats(s.store, a)).toEqual([31]);
    const state = s.reopen().loadMonitors().get('a')?.state;
    expect([state?.lastPingAt, state?.lastSuccessAt]).toEqual([30, 1]);
  });

  it('takes the last ping and success times at start from the pings not indexed yet', () => {
    const a = s.store.addMonitor('a', initialState(0));
    s.store.insertPing(ping(a, 1));
    s.store.pingIndex.indexAll();
    s.store.insertPing(ping(a, 2, 'success'));
    s.store.insertPing(ping(a, 3, 'fail'));
    s.store.insertPing(ping(a, 4, 'log'));
    const state = s.reopen().loadMonitors().get('a')?.state;
    expect([state?.lastPingAt, state?.lastSuccessAt]).toEqual([3, 2]);
  });

  it('migrates a database of schema 10: every ping indexed, the old index dropped', () => {
    const dir = tempDir();
    const db = new Database(join(dir.path, DATABASE_FILE));
    for (const sql of migrations.slice(0, 10)) db.exec(sql);
    db.pragma('user_version = 10');
    db.exec(`INSERT INTO monitors (slug, status, first_seen_at, changed_at) VALUES ('a', 'up', 0, 0);
      INSERT INTO pings (monitor_id, at, kind, method) VALUES (1, 1, 'success', 'GET'), (1, 2, 'fail', 'GET');`);
    db.close();
    const store = new Store(dir.path);
    try {
      expect(store.pingIndex.upto).toBe(2);
      expect(store.pingIndex.listed).toBe(0);
      expect(ats(store, 1)).toEqual([2, 1]);
      expect(store.loadMonitors().get('a')?.state).toMatchObject({
        lastPingAt: 2,
        lastSuccessAt: 1,
      });
    } finally {
      store.close();
      dir.remove();
    }
  });
});

describe('the pass of the ping index', () => {
  const s = storeFixture();

  it('stops a step inside one monitor that has many pings, and goes on from there', () => {
    const dir = tempDir();
    const store = new Store(dir.path, {
      pingIndex: { unindexedMost: 1_000_000, stepEntries: 100 },
    });
    try {
      const a = store.addMonitor('a', initialState(0));
      store.transaction(() => {
        for (let at = 0; at < 1_000; at++) store.insertPing(ping(a, at));
      });
      const entries = () => store.db.prepare('SELECT count(*) FROM ping_index').pluck().get();
      store.pingIndex.step();
      expect(entries()).toBeLessThanOrEqual(100);
      expect(ats(store, a)).toHaveLength(1_000);
      store.pingIndex.indexAll();
      expect(entries()).toBe(1_000);
      expect(store.pingIndex.listed).toBe(0);
    } finally {
      store.close();
      dir.remove();
    }
  });

  it('prunes a monitor in slices when keep-pings is lowered, keeping its last success', () => {
    const dir = tempDir();
    const store = new Store(dir.path, { pingIndex: { unindexedMost: 1_000_000, stepEntries: 50 } });
    try {
      const a = store.addMonitor('a', initialState(0));
      store.transaction(() => {
        store.insertPing(ping(a, 0));
        for (let at = 1; at < 1_000; at++) store.insertPing(ping(a, at, 'fail'));
      });
      store.keepPings(1_000_000);
      store.pingIndex.indexAll();
      store.keepPings(10);
      // Ten more pings: enough for a prune at keep-pings 10. Each step deletes at most ~50.
      for (let at = 1_000; at < 1_010; at++) store.insertPing(ping(a, at, 'fail'));
      const count = () => store.db.prepare('SELECT count(*) FROM pings').pluck().get() as number;
      let steps = 0;
      let before = count();
      do {
        store.pingIndex.step();
        steps++;
        expect(before - count()).toBeLessThanOrEqual(50);
        before = count();
      } while (store.pingIndex.listed > 0);
      expect(steps).toBeGreaterThan(10);
      expect(ats(store, a)).toEqual(Array.from({ length: 10 }, (_, i) => 1_009 - i));
    } finally {
      store.close();
    }
    const reopened = new Store(dir.path);
    try {
      expect(reopened.loadMonitors().get('a')?.state).toMatchObject({ lastSuccessAt: 0 });
    } finally {
      reopened.close();
      dir.remove();
    }
  });

  it('takes back the id of a rolled-back ping that SQLite gives again to the same monitor', () => {
    const a = s.store.addMonitor('a', initialState(0));
    s.store.insertPing(ping(a, 1));
    expect(() =>
      s.store.transaction(() => {
        s.store.insertPing(ping(a, 2));
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    s.store.insertPing(ping(a, 3));
    expect(s.store.pingIndex.listed).toBe(2);
    expect(ats(s.store, a)).toEqual([3, 1]);
  });

  it('waits for the WAL to drain instead of writing while commits are held, and asks for the drain', async () => {
    const store = s.store;
    const a = store.addMonitor('a', initialState(0));
    for (let at = 0; at < 3; at++) store.insertPing(ping(a, at));
    const resumers: (() => void)[] = [];
    let writable = false;
    const index = new PingIndex(
      store.db,
      {
        mayWrite: () => writable,
        whenWritable: (resume) => resumers.push(resume),
        wrote: () => {},
        failed: () => {},
      },
      { unindexedMost: 3, stepEntries: 10 },
    );
    try {
      await new Promise((resolve) => setImmediate(resolve));
      expect(resumers).toHaveLength(1);
      expect(index.listed).toBe(3);
      writable = true;
      resumers[0]?.();
      expect(index.listed).toBe(0);
      expect(ats(store, a)).toEqual([2, 1, 0]);
    } finally {
      index.close();
    }
  });

  it('tells a failed step and tries again a second later, then tells that it works again', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate', 'clearTimeout', 'clearImmediate'] });
    const dir = tempDir();
    const store = new Store(dir.path, { pingIndex: { unindexedMost: 2, stepEntries: 10 } });
    const lock = new Database(join(dir.path, DATABASE_FILE), { timeout: 0 });
    const told: (string | null)[] = [];
    store.indexFailed = (error) => told.push(error === null ? null : error.message);
    try {
      const a = store.addMonitor('a', initialState(0));
      store.insertPing(ping(a, 0));
      store.insertPing(ping(a, 1));
      // The second ping queued a step behind the loop's work; another process takes the lock.
      lock.exec('BEGIN IMMEDIATE');
      vi.advanceTimersToNextTimer();
      expect(told).toEqual([expect.stringMatching(/locked|busy/)]);
      expect(store.pingIndex.listed).toBe(2);
      lock.exec('ROLLBACK');
      vi.advanceTimersByTime(999);
      expect(store.pingIndex.listed).toBe(2);
      vi.advanceTimersByTime(1);
      expect(store.pingIndex.listed).toBe(0);
      expect(told).toEqual([expect.stringMatching(/locked|busy/), null]);
    } finally {
      vi.useRealTimers();
      lock.close();
      store.close();
      dir.remove();
    }
  });
});
