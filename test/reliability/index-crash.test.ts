// Pings are indexed by monitor in a pass that starts once 65 536 are unindexed (see
// src/store/ping-index.ts); a crash mid-pass must lose none. Clients ping 64 monitors with
// unique bodies as fast as they can; the daemon is killed with SIGKILL once the acknowledged count
// passes a point drawn from a seeded PRNG (the seed printed) just past the pass's start. The data
// is then opened with the real Store, as a restart does, and every monitor's pings are read
// through History: each acknowledged ping is there once, under its own monitor, before and after
// the rest of the index is built.
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { TEST_PING_KEY as KEY, writeJobsConfig } from '../helpers/config-yaml.js';
import { DaemonProcess } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';
import { between, seededRandom, trialSeed, writeFigures } from '../helpers/trials.js';

const TRIALS = 4;
/**
 * Pings spread over many monitors, so that a pass (steps of about 250 entries) spans many steps and
 * turns of the event loop, and a kill a little past its start mostly lands in the middle of it.
 */
const MONITORS = 64;
/** With node:http and keep-alive, about 12 000 pings a second here (fetch: 2 400). */
const CLIENTS = 64;
/** The pass starts at 65 536 unindexed pings (ping-index.ts): the kill comes mid-pass or after. */
const KILL_FROM = 65_600;
const KILL_TO = 67_000;
/** A bound on a trial's load, should the machine be too slow to reach the kill point. */
const LOAD_MOST_MS = 20_000;

/** What the raw database holds after the kill, before any Store opens it. */
interface Raw {
  readonly upto: number;
  readonly maxId: number;
  readonly indexEntries: number;
  readonly entriesAboveUpto: number;
}

/** What History returned for every monitor, against what was acknowledged. */
interface Check {
  read: number;
  readonly missing: string[];
  duplicates: number;
  readonly foreign: string[];
}

interface Trial extends Raw {
  readonly trial: number;
  readonly killAt: number;
  readonly acknowledged: number;
  readonly moment: 'before pass' | 'mid-pass' | 'after pass';
  readonly missing: number;
  readonly missingAfterIndexAll: number;
  /** Rows read twice or under another monitor, before and after indexAll. */
  readonly wrong: number;
}

/** Clients ping until `killAt` pings are acknowledged, then kill the daemon; bodies by monitor. */
function load(
  daemon: DaemonProcess,
  killAt: number,
): { acknowledged: Map<string, string[]>; count: () => number; ended: Promise<unknown> } {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const acknowledged = new Map<string, string[]>();
  let count = 0;
  const endAt = Date.now() + LOAD_MOST_MS;
  const post = (slug: string, body: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(`${daemon.url}/ping/${KEY}/${slug}`, { method: 'POST', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  const client = async (c: number): Promise<void> => {
    const slug = `job-${c % MONITORS}`;
    const bodies = acknowledged.get(slug) ?? [];
    acknowledged.set(slug, bodies);
    for (let i = 0; !daemon.ended; i++) {
      if (Date.now() > endAt) daemon.kill('SIGKILL');
      const body = `${slug}-client-${c}-ping-${i}`;
      try {
        if ((await post(slug, body)) !== 200) continue;
      } catch {
        return; // the daemon is gone
      }
      bodies.push(body);
      if (++count >= killAt) daemon.kill('SIGKILL');
    }
  };
  const ended = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c))).finally(() =>
    agent.destroy(),
  );
  return { acknowledged, count: () => count, ended };
}

/** Reads the index's state with a plain connection (which recovers the WAL, as any opener does). */
function readRaw(file: string): Raw {
  const db = new Database(file);
  try {
    const one = (sql: string): number => (db.prepare(sql).pluck().get() as number | null) ?? 0;
    const upto = one('SELECT upto FROM ping_index_state');
    return {
      upto,
      maxId: one('SELECT max(id) FROM pings'),
      indexEntries: one('SELECT count(*) FROM ping_index'),
      entriesAboveUpto: one(`SELECT count(*) FROM ping_index WHERE id > ${upto}`),
    };
  } finally {
    db.close();
  }
}

/** Every monitor's pings through History, against the bodies acknowledged for it. */
function check(store: Store, acknowledged: Map<string, string[]>): Check {
  const ids = store.db.prepare('SELECT slug, id FROM monitors').raw().all() as [string, number][];
  const result: Check = { read: 0, missing: [], duplicates: 0, foreign: [] };
  for (const [slug, bodies] of acknowledged) {
    const monitorId = new Map(ids).get(slug);
    expect(monitorId, slug).toBeDefined();
    const rows = store.history.pings(monitorId ?? 0, {
      before: Number.MAX_SAFE_INTEGER,
      limit: 1_000_000,
    });
    const outputs = rows.map((r) => r.output ?? '');
    const read = new Set(outputs);
    result.read += rows.length;
    result.duplicates += outputs.length - read.size;
    result.foreign.push(...outputs.filter((o) => !o.startsWith(`${slug}-`)));
    result.missing.push(...bodies.filter((b) => !read.has(b)));
  }
  return result;
}

function expectComplete(result: Check): void {
  expect(result.missing.slice(0, 5)).toEqual([]);
  expect(result.missing.length).toBe(0);
  expect(result.duplicates).toBe(0);
  expect(result.foreign.slice(0, 5)).toEqual([]);
}

function momentOf(raw: Raw): Trial['moment'] {
  if (raw.entriesAboveUpto > 0) return 'mid-pass';
  return raw.upto > 0 ? 'after pass' : 'before pass';
}

describe('index crash', () => {
  const seed = trialSeed();
  const random = seededRandom(seed);
  const dir = tempDir();
  const trials: Trial[] = [];
  let daemon: DaemonProcess | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    store?.close();
    store = undefined;
    daemon?.kill();
    await daemon?.exited();
  });
  afterAll(() => {
    const summary = trials.map(
      (t) =>
        `#${t.trial} ${t.acknowledged} acknowledged, upto ${t.upto} of max id ${t.maxId}, ${t.indexEntries} entries (${t.entriesAboveUpto} above upto): ${t.moment}, missing ${t.missing}/${t.missingAfterIndexAll}, wrong ${t.wrong}`,
    );
    console.log(
      `index crash (seed ${seed}): ${trials.length} SIGKILL trials\n${summary.join('\n')}`,
    );
    writeFigures('index-crash', { seed, trials: trials.length, details: trials });
    dir.remove();
  });

  it.each(Array.from({ length: TRIALS }, (_, i) => i + 1))(
    'keeps every acknowledged ping readable by its monitor when killed around an index pass (trial %i)',
    async (trial) => {
      const killAt = between(random, KILL_FROM, KILL_TO);
      const dataDir = join(dir.path, `data-${trial}`);
      const file = writeJobsConfig(dir.path, dataDir, MONITORS, `config-${trial}.yaml`);
      daemon = await new DaemonProcess(file).started();
      const pinging = load(daemon, killAt);
      expect(await daemon.exited()).toBe('SIGKILL');
      await pinging.ended;

      const raw = readRaw(join(dataDir, 'overdue.db'));
      store = new Store(dataDir);
      store.keepPings(1_000_000); // as the daemon does on start, from keep-pings
      const before = check(store, pinging.acknowledged);
      store.pingIndex.indexAll();
      const after = check(store, pinging.acknowledged);
      const count = (table: string): unknown =>
        store?.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
      trials.push({
        trial,
        killAt,
        acknowledged: pinging.count(),
        ...raw,
        moment: momentOf(raw),
        missing: before.missing.length,
        missingAfterIndexAll: after.missing.length,
        wrong: [before, after].reduce((n, c) => n + c.duplicates + c.foreign.length, 0),
      });
      expect(pinging.count()).toBeGreaterThan(0);
      expectComplete(before);
      expectComplete(after);
      expect(count('ping_index')).toBe(count('pings'));
    },
  );
});
