// Micro-benchmark: event-loop CPU per ping of the durable write path (group commit, the monitors'
// writePings, the store), without HTTP, for two builds measured alternately in one process, so that
// the noise of a shared machine hits both alike. 64 pings are kept in flight (as 64 connections
// would), spread over 10 000 monitors. Two figures per ping acknowledged: the main thread's CPU
// time (from /proc/self/task/<pid>/stat; threadpool fsyncs are not in it), and the time the event
// loop was busy (event-loop utilisation: includes an fsync that blocks the loop without using CPU);
// and the whole process's CPU time (the threadpool's fsyncs included). Also the event loop's delay
// (p99 and max, perf_hooks.monitorEventLoopDelay): how long the loop was held at a time.
//
//   node scripts/bench/write-path.mjs --a DIST_A --b DIST_B [--monitors 10000] [--seconds 3]
//     [--rounds 3] [--in-flight 64] [--history N]
// DIST_A and DIST_B are dist/ folders (e.g. a snapshot of a commit's `npm run build`).
// --history N: both databases first get N older pings spread over the monitors (a daemon that has
// run a while: the cost of a ping grows with the history it is indexed into), already indexed
// by monitor (a build with ping_index gets its entries too).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { option, round, run, table, tempDir, writeConfig } from './lib.mjs';

const MONITORS = Number(option('monitors', 10_000));
const SECONDS = Number(option('seconds', 3));
const ROUNDS = Number(option('rounds', 3));
const IN_FLIGHT = Number(option('in-flight', 64));
const HISTORY = Number(option('history', 0));
const TICK_MS = 10; // USER_HZ on Linux

function mainThreadCpuMs() {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

async function variant(name, dist) {
  const load = async (path) => import(pathToFileURL(join(resolve(dist), path)).href);
  const { loadConfig } = await load('config/load-config.js');
  const { Daemon } = await load('daemon.js');
  const { GroupCommit } = await load('store/group-commit.js');
  const dir = tempDir(`write-path-${name}`);
  const slugs = Array.from({ length: MONITORS }, (_, i) => `job-${i}`);
  const file = writeConfig(dir, { monitors: slugs.map((s) => [s, ['every: 1h']]) });
  const loaded = await loadConfig(file, {});
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems.slice(0, 3)));
  const daemon = await Daemon.start({ config: loaded.config });
  if (HISTORY > 0) addHistory(daemon.store.db, HISTORY);
  const write = (pings) => daemon.monitors.writePings(pings);
  // A build before Store.writeBatch ran its batches in a transaction of the database's own.
  const batches = daemon.store.writeBatch === undefined ? daemon.store.db : daemon.store;
  const commit = new GroupCommit(batches, write, daemon.store.wal);
  return { name, daemon, commit, slugs };
}

/**
 * `count` old pings, spread over the monitors (ids 1..MONITORS in a fresh database), indexed;
 * checkpointed. Only the write path is measured: the daemon's reads would see this history only
 * after its next pass (its ping index was loaded before).
 */
function addHistory(db, count) {
  db.exec(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
     INSERT INTO pings (monitor_id, at, kind, method, remote_addr, user_agent)
     SELECT 1 + (i * 7919) % ${MONITORS}, i, 'success', 'GET', '127.0.0.1', 'bench' FROM n`,
  );
  const bulk = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ping_index'").get();
  if (bulk !== undefined) {
    db.exec(`INSERT INTO ping_index (monitor_id, id) SELECT monitor_id, id FROM pings ORDER BY 1, 2;
      UPDATE ping_index_state SET upto = (SELECT max(id) FROM pings);`);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/** Keeps IN_FLIGHT pings in flight for `seconds`; returns pings/s and main-thread µs per ping. */
function measure(v, seconds) {
  return new Promise((resolvePromise, reject) => {
    let acked = 0;
    let next = 0;
    let stopping = false;
    let open = 0;
    const cpuBefore = mainThreadCpuMs();
    const processBefore = process.cpuUsage();
    const eluBefore = performance.eventLoopUtilization();
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const startedAt = performance.now();
    const submit = () => {
      const slug = v.slugs[next++ % v.slugs.length];
      open++;
      const ping = {
        slug,
        kind: 'success',
        at: Date.now(),
        runId: null,
        exitStatus: null,
        method: 'GET',
        remoteAddr: '127.0.0.1',
        userAgent: 'bench',
        value: null,
        durationMs: null,
        body: null,
      };
      v.commit.submit(ping, (error) => {
        open--;
        if (error) return reject(error);
        acked++;
        if (!stopping) submit();
        else if (open === 0) done();
      });
    };
    const done = () => {
      delay.disable();
      // A build that indexes pings by monitor in bulk (store.pingIndex) indexes the round's pings
      // now, so that their cost is counted in this round, not in the other build's next one.
      v.daemon.store.pingIndex?.indexAll();
      const ms = performance.now() - startedAt;
      const cpu = mainThreadCpuMs() - cpuBefore;
      const all = process.cpuUsage(processBefore);
      const busy = performance.eventLoopUtilization(eluBefore).active;
      resolvePromise({
        perSecond: (acked / ms) * 1000,
        cpuUsPerPing: (cpu * 1000) / acked,
        busyUsPerPing: (busy * 1000) / acked,
        processUsPerPing: (all.user + all.system) / acked,
        loopDelayP99Ms: delay.percentile(99) / 1e6,
        loopDelayMaxMs: delay.max / 1e6,
      });
    };
    setTimeout(() => (stopping = true), seconds * 1000);
    for (let i = 0; i < IN_FLIGHT; i++) submit();
  });
}

run('write-path', async () => {
  const a = await variant('a', option('a', 'dist'));
  const b = await variant('b', option('b', 'dist'));
  await measure(a, 1);
  await measure(b, 1);
  const rows = [];
  const all = { a: [], b: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of r % 2 === 0 ? [a, b] : [b, a]) {
      const m = await measure(v, SECONDS);
      all[v.name].push(m);
      rows.push([
        `round ${r + 1} ${v.name}`,
        round(m.perSecond, 0),
        round(m.cpuUsPerPing, 1),
        round(m.busyUsPerPing, 1),
        round(m.processUsPerPing, 1),
        round(m.loopDelayP99Ms, 1),
        round(m.loopDelayMaxMs, 1),
      ]);
    }
  }
  const mean = (ms, key) => ms.reduce((s, m) => s + m[key], 0) / ms.length;
  for (const name of ['a', 'b']) {
    const ms = all[name];
    const keys = [
      'perSecond',
      'cpuUsPerPing',
      'busyUsPerPing',
      'processUsPerPing',
      'loopDelayP99Ms',
      'loopDelayMaxMs',
    ];
    const cells = keys.map((k) => round(mean(ms, k), 1));
    rows.push([`mean ${name}`, ...cells]);
  }
  const head = [
    'variant',
    'pings/s',
    'loop CPU µs/ping',
    'loop busy µs/ping',
    'process CPU µs/ping',
    'loop delay p99 ms',
    'loop delay max ms',
  ];
  table([head, ...rows]);
  const ratioOf = (key) => round(mean(all.b, key) / mean(all.a, key), 2);
  console.log(
    `b/a: CPU per ping ${ratioOf('cpuUsPerPing')}, busy per ping ${ratioOf('busyUsPerPing')}`,
  );
  await a.daemon.close();
  await b.daemon.close();
});
