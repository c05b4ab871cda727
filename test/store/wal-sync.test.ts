import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { initialState } from '../../src/core/state.js';
import { GroupCommit, type Durability } from '../../src/store/group-commit.js';
import { DATABASE_FILE } from '../../src/store/store.js';
import {
  CYCLE_AFTER_COMMITS,
  CYCLE_QUIET_MS,
  WAL_LIMIT_BYTES,
  WalSync,
  type Synced,
} from '../../src/store/wal-sync.js';
import { storeFixture } from '../helpers/store.js';

/** A Durability whose fsyncs return when the test says so. */
class ManualDurability implements Durability {
  readonly pending: Synced[] = [];
  draining = false;
  resume: (() => void) | null = null;
  afterCommit(synced: Synced): void {
    this.pending.push(synced);
  }
  whenWritable(resume: () => void): void {
    this.resume = resume;
  }
  finish(error: Error | null): void {
    for (const synced of this.pending.splice(0)) synced(error);
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('durable group commit', () => {
  const s = storeFixture();
  let monitorId: number;
  beforeEach(() => {
    monitorId = s.store.addMonitor('a', initialState(0));
  });

  const ping = (at: number) => ({
    monitorId,
    at,
    kind: 'success',
    exitStatus: null,
    runId: null,
    durationMs: null,
    method: 'GET',
    remoteAddr: null,
    userAgent: null,
    body: Buffer.alloc(2000, at % 256),
    value: null,
  });
  const count = () =>
    (s.store.db.prepare('SELECT COUNT(*) AS n FROM pings').get() as { n: number }).n;

  function commitWith(durability: Durability): GroupCommit<number> {
    return new GroupCommit<number>(
      s.store,
      (items) => {
        for (const at of items) s.store.insertPing(ping(at));
        return () => undefined;
      },
      durability,
    );
  }

  it('acknowledges a committed batch only once the fsync after its commit has returned', async () => {
    const durability = new ManualDurability();
    const commit = commitWith(durability);
    const acks: (Error | null)[] = [];
    for (const at of [1, 2]) commit.submit(at, (error) => acks.push(error));
    await turn();
    expect(count()).toBe(2);
    expect(acks).toEqual([]);
    durability.finish(null);
    expect(acks).toEqual([null, null]);
  });

  it('answers every ping of a batch with the error when its fsync fails', async () => {
    const durability = new ManualDurability();
    const commit = commitWith(durability);
    const acks: (Error | null)[] = [];
    for (const at of [1, 2]) commit.submit(at, (error) => acks.push(error));
    await turn();
    durability.finish(new Error('EIO'));
    expect(acks.map((e) => e?.message)).toEqual(['EIO', 'EIO']);
  });

  it('holds batches while a checkpoint drains the WAL and commits them when it ends', async () => {
    const durability = new ManualDurability();
    durability.draining = true;
    const commit = commitWith(durability);
    commit.submit(1, () => undefined);
    await turn();
    expect(count()).toBe(0);
    durability.draining = false;
    durability.resume?.();
    expect(count()).toBe(1);
  });

  it('acknowledges through the WAL fsync and keeps what it acknowledged across a reopen', async () => {
    const commit = commitWith(s.store.wal);
    const acks = await Promise.all(
      [1, 2, 3].map((at) => new Promise<Error | null>((resolve) => commit.submit(at, resolve))),
    );
    expect(acks).toEqual([null, null, null]);
    s.reopen();
    expect(count()).toBe(3);
  });

  it('copies the WAL into the database file after the fsync that covers it, off the loop', async () => {
    const file = join(s.dir, DATABASE_FILE);
    const before = statSync(file).size;
    s.store.transaction(() => {
      for (let at = 0; at < 200; at++) s.store.insertPing(ping(at));
    });
    // The first sync starts a checkpoint cycle; the copy lands once its fsyncs have returned.
    await new Promise((resolve) => s.store.wal.afterCommit(resolve));
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(before + 200 * 2000));
  });

  it('holds commits once the WAL passes its limit, until a checkpoint has drained it, and then shrinks it', async () => {
    const wal = join(s.dir, `${DATABASE_FILE}-wal`);
    // One large transaction takes the WAL past its limit without any checkpoint in between.
    s.store.transaction(() => {
      for (let at = 0; statSync(wal).size <= WAL_LIMIT_BYTES; at++) s.store.insertPing(ping(at));
    });
    expect(s.store.wal.draining).toBe(true);
    await new Promise<void>((resolve) => s.store.wal.whenWritable(resolve));
    expect(s.store.wal.draining).toBe(false);
    // The next commit starts the WAL over, and SQLite cuts the file back to the limit.
    s.store.insertPing(ping(-1));
    await new Promise((resolve) => s.store.wal.afterCommit(resolve));
    expect(statSync(wal).size).toBeLessThanOrEqual(WAL_LIMIT_BYTES);
    expect(s.store.wal.draining).toBe(false);
  });

  it('keeps the WAL within its limit and one batch under a load that never pauses, whatever the disk', async () => {
    const commit = commitWith(s.store.wal);
    const wal = join(s.dir, `${DATABASE_FILE}-wal`);
    let largest = 0;
    let sent = 0;
    // 64 pings in flight, each 2 kB: 96 MB through the WAL, three times the drain threshold.
    await new Promise<void>((resolve, reject) => {
      let open = 0;
      const send = () => {
        open++;
        commit.submit(sent++, (error) => {
          open--;
          if (error !== null) return reject(error);
          largest = Math.max(largest, statSync(wal).size);
          if (sent < 48_000) send();
          else if (open === 0) resolve();
        });
      };
      for (let i = 0; i < 64; i++) send();
    });
    // A batch is at most 64 pings of 2 kB here: well under 2 MiB of pages.
    expect(largest).toBeLessThan(WAL_LIMIT_BYTES + 2 * 1024 * 1024);
  }, 60_000);

  it('resumes every write held by a drain, even when one before it throws', () => {
    const pinDb = new Database(join(s.dir, DATABASE_FILE));
    const wal = new WalSync(s.store.db, pinDb);
    const resumed: string[] = [];
    wal.whenWritable(() => {
      resumed.push('batch');
      throw new Error('a bug in publishing');
    });
    wal.whenWritable(() => resumed.push('index step'));
    // Closing ends the drain: everything it held is resumed, then the first error is thrown.
    expect(() => wal.close()).toThrow('a bug in publishing');
    expect(resumed).toEqual(['batch', 'index step']);
    pinDb.close();
  });

  describe('checkpoint cycles', () => {
    let now: number;
    let pinDb: Database.Database;
    let wal: WalSync;
    /** The timers WalSync armed (the quiet cycle's), run by hand. */
    let timers: { run: () => void; ms: number }[];
    beforeEach(() => {
      now = 0;
      timers = [];
      pinDb = new Database(join(s.dir, DATABASE_FILE));
      wal = new WalSync(
        s.store.db,
        pinDb,
        () => now,
        (fn, ms) => {
          const timer = { run: () => (forget(), fn()), ms };
          const forget = () => {
            const i = timers.indexOf(timer);
            if (i >= 0) timers.splice(i, 1);
          };
          timers.push(timer);
          return forget;
        },
      );
      return () => {
        wal.close();
        pinDb.close();
      };
    });
    let next = 0;
    /** Commits 10 pings and asks this WalSync for their sync; `cycle`: it started a cycle (a pin). */
    const commit = (): { cycle: boolean; synced: Promise<unknown> } => {
      // writeBatch: the store's own WalSync is not asked to sync (nor to checkpoint) these.
      s.store.writeBatch(() => {
        for (const end = next + 10; next < end; next++) s.store.insertPing(ping(next));
      });
      const synced = new Promise((resolve) => wal.afterCommit(resolve));
      return { cycle: pinDb.inTransaction, synced };
    };
    /** The first sync starts a cycle; it ends (the pin is released) once the file is fsynced. */
    const firstCycle = async () => {
      const first = commit();
      expect(first.cycle).toBe(true);
      await first.synced;
      // A real fsync: on a busy disk it may take seconds, so the wait is long (it ends when it ends).
      await vi.waitFor(() => expect(pinDb.inTransaction).toBe(false), { timeout: 30_000 });
    };

    it('copies again once 10 ms and enough commits have passed, so each copy is short', async () => {
      await firstCycle();
      const file = join(s.dir, DATABASE_FILE);
      const before = statSync(file).size;
      now = 10;
      for (let i = 1; i < CYCLE_AFTER_COMMITS; i++) await commit().synced;
      const last = commit();
      expect(last.cycle).toBe(true);
      await last.synced;
      // The copy runs on the loop right after the sync returns: the pings are in the file.
      expect(statSync(file).size).toBeGreaterThan(before + CYCLE_AFTER_COMMITS * 10 * 2000);
    });

    it('syncs a few commits alone, without a cycle, until enough of them or time have gathered', async () => {
      await firstCycle();
      now = 10;
      // Each of these syncs the WAL only: no second fdatasync (of the database file) for a page or two.
      for (let i = 1; i < CYCLE_AFTER_COMMITS; i++) {
        const c = commit();
        expect(c.cycle).toBe(false);
        await c.synced;
      }
      expect(commit().cycle).toBe(true);
      await vi.waitFor(() => expect(pinDb.inTransaction).toBe(false), { timeout: 30_000 });
      // One commit after a long quiet spell: a cycle, so the database file never lags far behind.
      now += CYCLE_QUIET_MS - 1;
      const early = commit();
      expect(early.cycle).toBe(false);
      await early.synced;
      now += 1;
      expect(commit().cycle).toBe(true);
    });

    it('copies what a quiet daemon left in the WAL 10 s after the last cycle, with no commit after it', async () => {
      await firstCycle();
      // Nothing was committed since the cycle (at 0): nothing waits to be copied.
      expect(timers).toEqual([]);
      const file = join(s.dir, DATABASE_FILE);
      const before = statSync(file).size;
      now = 10;
      const lone = commit();
      expect(lone.cycle).toBe(false);
      await lone.synced;
      expect(timers.map((t) => t.ms)).toEqual([CYCLE_QUIET_MS - 10]);
      now = CYCLE_QUIET_MS;
      timers[0]?.run();
      expect(pinDb.inTransaction).toBe(true);
      await vi.waitFor(() => expect(pinDb.inTransaction).toBe(false), { timeout: 30_000 });
      expect(statSync(file).size).toBeGreaterThan(before + 10 * 2000);
      expect(timers).toEqual([]);
    });

    it('lets a cycle or close() cancel the quiet wait, and waits on when woken early', async () => {
      await firstCycle();
      now = 10;
      await commit().synced;
      expect(timers).toHaveLength(1);
      // The 8th commit starts a cycle before the wait is over: it copies them all, the wait is moot.
      now = 20;
      for (let i = 2; i < CYCLE_AFTER_COMMITS; i++) await commit().synced;
      expect(commit().cycle).toBe(true);
      expect(timers).toEqual([]);
      await vi.waitFor(() => expect(pinDb.inTransaction).toBe(false), { timeout: 30_000 });
      // The next lone commit waits 10 s from that cycle; woken 1 ms early, it waits the rest.
      now = 30;
      await commit().synced;
      expect(timers.map((t) => t.ms)).toEqual([CYCLE_QUIET_MS - 10]);
      now = 20 + CYCLE_QUIET_MS - 1;
      timers[0]?.run();
      expect(pinDb.inTransaction).toBe(false);
      expect(timers.map((t) => t.ms)).toEqual([1]);
      wal.close();
      expect(timers).toEqual([]);
    });

    it('runs a cycle for a drain at once, however few commits and however soon', async () => {
      await firstCycle();
      now = 1;
      await commit().synced;
      let resumed = false;
      wal.whenWritable(() => (resumed = true));
      expect(pinDb.inTransaction).toBe(true);
      await vi.waitFor(() => expect(resumed).toBe(true), { timeout: 30_000 });
    });
  });

  it('answers the callers still waiting when it is closed, after a synchronous fsync', () => {
    const acks: (Error | null)[] = [];
    s.store.insertPing(ping(1));
    s.store.wal.afterCommit((error) => acks.push(error));
    s.store.wal.afterCommit((error) => acks.push(error));
    s.store.close();
    expect(acks).toEqual([null, null]);
  });
});
