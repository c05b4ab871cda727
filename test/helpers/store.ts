import { afterEach, beforeEach } from 'vitest';
import type { PingRecord } from '../../src/engine/ports.js';
import { Store } from '../../src/store/store.js';
import { tempDir } from './temp.js';

export interface StoreFixture {
  /** The test's temp dir, the store's data dir. */
  readonly dir: string;
  /** The store open on `dir`: the one reopen() opened last. */
  readonly store: Store;
  /** Closes the store and opens `dir` again, as a restart does; returns the new store. */
  reopen(): Store;
}

/**
 * Around each test of the calling suite: a Store on a fresh temp dir; after it, the store is closed
 * (a no-op when the test closed it) and the dir removed.
 */
export function storeFixture(): StoreFixture {
  let dir: ReturnType<typeof tempDir> | undefined;
  let store: Store | undefined;
  const during = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('storeFixture: the store exists only during a test');
    return value;
  };
  beforeEach(() => {
    dir = tempDir();
    store = new Store(dir.path);
  });
  afterEach(() => {
    store?.close();
    store = undefined;
    dir?.remove();
    dir = undefined;
  });
  return {
    get dir() {
      return during(dir).path;
    },
    get store() {
      return during(store);
    },
    reopen() {
      during(store).close();
      store = new Store(during(dir).path);
      return store;
    },
  };
}

/** A stored ping of `monitorId` at `at`, as the engine hands it to the store. */
export function pingRecord(monitorId: number, at: number, kind = 'success'): PingRecord {
  return {
    monitorId,
    at,
    kind,
    exitStatus: null,
    runId: null,
    durationMs: null,
    method: 'GET',
    remoteAddr: '127.0.0.1',
    userAgent: 'curl',
    body: null,
    value: null,
  };
}
