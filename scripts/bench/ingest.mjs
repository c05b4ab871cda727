// Benchmark: durable pings/s and HTTP latency (p50, p99) through the real daemon (a spawned `node
// dist/main.js serve`) with 10 000 monitors, 64 connections from wrk (`wrk -t1`, the Debian
// package: `apt-get install wrk`), against a bare node:http server answering OK under the same
// load, measured in the same run, and two floors (baseline-servers.mjs): node:http answering each
// request only after an fdatasync that began after it arrived (FLOOR_SERVER), what any server that
// acknowledges only what is on disk pays before it does anything else, and the same storing each
// request as a row in SQLite first (SQLITE_FLOOR_SERVER), what any server that keeps its pings in
// SQLite pays. The four are measured alternately (bare, floor, SQLite floor, overdue, bare...) so
// that drift in the machine's load hits all. wrk runs in a process of its own on one thread
// (scripts/bench/wrk-pings.lua): on this 2-core machine it takes about two thirds of a core at 65k
// requests/s, where autocannon (Node) took a whole one, so a server that uses a second thread (the
// fsync threadpool) is not starved by the load generator. The monitors are pinged in a random
// order, the same for every server; the requests in flight are (practically) for distinct monitors.
// Afterwards the SQLite file is opened to check that it holds at least as many pings as there were
// 2xx answers (a 200 means committed). Run `npm run build` first. Writes build/bench/ingest.json.
//
//   node scripts/bench/ingest.mjs [--quick] [--monitors 10000] [--connections 64] [--seconds 15]
//     [--rounds 3] [--post]          POST a 64-byte body instead of GET
//     [--profile] [--profile-dir D]  CPU and allocation profile of the daemon under load (kept in D)
//     [--trace-gc]                   count the daemon's GCs under load
//   --quick: 1 round of 5 s. OVERDUE_DIST=DIR measures another build's dist/ (a commit's snapshot).
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { FLOOR_SERVER, SQLITE, SQLITE_FLOOR_SERVER, startBareServer } from './baseline-servers.mjs';
import { printCpu, printHeap, summariseCpu, summariseHeap } from './profile-top.mjs';
import {
  BENCH_DIR,
  cpuMeter,
  hasFlag,
  KEY,
  option,
  pingEach,
  ratio,
  requireBuild,
  requireWrk,
  round,
  run,
  startDaemon,
  startWrk,
  table,
  tempDir,
  waitQuiet,
  writeConfig,
  writeResult,
} from './lib.mjs';

const QUICK = hasFlag('quick');
const MONITORS = Number(option('monitors', 10_000));
const CONNECTIONS = Number(option('connections', 64));
const SECONDS = Number(option('seconds', QUICK ? 5 : 15));
const ROUNDS = Number(option('rounds', QUICK ? 1 : 3));
const WARMUP_SECONDS = QUICK ? 1 : 3;
const METHOD = hasFlag('post') ? 'POST' : 'GET';
const BODY = METHOD === 'POST' ? 'x'.repeat(63) + '\n' : '';
const PROFILE = hasFlag('profile');
const TRACE_GC = hasFlag('trace-gc');
const TMPFS = 0x01021994; // statfs(2)'s f_type of tmpfs

/** One measured load on `server`, with the CPU of the server and of the load generator. */
async function measure(server, paths, seconds) {
  const load = startWrk({
    url: server.url,
    paths,
    connections: CONNECTIONS,
    seconds,
    method: METHOD,
    body: BODY,
  });
  // wrk's own CPU is sampled by startWrk (it cannot be read here once wrk has exited).
  const meter = cpuMeter([server.pid]);
  const result = await load.result;
  const cpu = meter();
  return {
    ...result,
    serverCpuPct: cpu.pids[0],
    serverKernelPct: cpu.kernelPids[0],
    machineBusyPct: cpu.machineBusyPct,
    stealPct: cpu.stealPct,
  };
}

/** The monitors' ping paths in a random order (Fisher-Yates), so the pings hit random tokens. */
function shuffledPaths(slugs) {
  const paths = slugs.map((slug) => `/ping/${KEY}/${slug}`);
  for (let i = paths.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [paths[i], paths[j]] = [paths[j], paths[i]];
  }
  return paths;
}

/** GC events in trace-gc lines: count and pause ms by kind, and MB freed by scavenges. */
function gcStats(lines) {
  const stats = { scavenges: 0, scavengeMs: 0, markCompacts: 0, markCompactMs: 0, scavengedMB: 0 };
  for (const line of lines) {
    const m =
      /(Scavenge|Mark-Compact|Mark-sweep)[^,]*?([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, (?:pooled: [\d.]+ MB, )?([\d.]+) \/ [\d.]+ ms/.exec(
        line,
      );
    if (!m) continue;
    if (m[1] === 'Scavenge') {
      stats.scavenges++;
      stats.scavengeMs += Number(m[4]);
      stats.scavengedMB += Number(m[2]) - Number(m[3]);
    } else {
      stats.markCompacts++;
      stats.markCompactMs += Number(m[4]);
    }
  }
  for (const k of Object.keys(stats)) stats[k] = round(stats[k]);
  return stats;
}

async function main() {
  requireBuild();
  requireWrk();
  const work = tempDir('ingest');
  // On tmpfs an fdatasync writes nothing: the durable servers would be measured without a disk.
  if (statfsSync(work).type === TMPFS) console.warn(`${work} is on tmpfs: fdatasync is free there`);
  // 1. A config of MONITORS monitors that will not fall due during the run.
  const slugs = Array.from({ length: MONITORS }, (_, i) => `m${String(i).padStart(6, '0')}`);
  const config = writeConfig(work, {
    server: '  keep-pings: 1000000',
    monitors: slugs.map((s) => [s, ['every: 1h', 'grace: 1h']]),
  });

  // 2. The four servers, each on its own port; only one is loaded at a time. The floors write
  // beside the daemon's database, on the same disk.
  const bare = await startBareServer();
  const floor = await startBareServer({ code: FLOOR_SERVER, args: [join(work, 'floor-sync')] });
  const sqlite = await startBareServer({
    code: SQLITE_FLOOR_SERVER,
    args: [SQLITE, join(work, 'sqlite-floor.db')],
  });
  const nodeArgs = [];
  // Kept only when --profile-dir is given (the raw .cpuprofile opens in Chrome DevTools).
  const profileDir = option('profile-dir') ?? join(work, 'profile');
  if (PROFILE) mkdirSync(profileDir, { recursive: true });
  if (PROFILE) nodeArgs.push('--import', join(BENCH_DIR, 'profile-hook.mjs'));
  if (TRACE_GC) nodeArgs.push('--trace-gc');
  const daemon = await startDaemon(config, {
    nodeArgs,
    env: PROFILE ? { OVERDUE_BENCH_PROFILE_DIR: profileDir } : {},
  });
  console.log(
    `${MONITORS} monitors, ${CONNECTIONS} connections, ${METHOD}, ${ROUNDS} x ${SECONDS} s per server; ` +
      `wrk -t1 in its own process, random order; overdue started in ${round(daemon.startMs)} ms`,
  );

  // 3. Every monitor's first ping (a new -> up transition each, logged), so the measured rounds are
  // the steady state; then a warm-up of each server (JIT, SQLite page cache), not reported.
  const armMs = await pingEach(daemon.url, slugs);
  console.log(
    `first ping of each monitor: ${round((slugs.length / armMs) * 1000, 0)} pings/s (32 at a time)`,
  );
  let daemon2xx = slugs.length;
  const paths = shuffledPaths(slugs);
  await measure(bare, paths, WARMUP_SECONDS);
  await measure(floor, paths, WARMUP_SECONDS);
  await measure(sqlite, paths, WARMUP_SECONDS);
  daemon2xx += (await measure(daemon, paths, WARMUP_SECONDS)).ok;

  // 4. Measured rounds, alternating.
  const runs = { bare: [], floor: [], sqlite: [], overdue: [] };
  let gcLines = [];
  for (let r = 0; r < ROUNDS; r++) {
    const bg1 = await waitQuiet();
    runs.bare.push({ ...(await measure(bare, paths, SECONDS)), backgroundPct: bg1 });
    const bg3 = await waitQuiet();
    runs.floor.push({ ...(await measure(floor, paths, SECONDS)), backgroundPct: bg3 });
    const bg4 = await waitQuiet();
    runs.sqlite.push({ ...(await measure(sqlite, paths, SECONDS)), backgroundPct: bg4 });
    const bg2 = await waitQuiet();
    const from = daemon.lines.length;
    if (PROFILE && r === ROUNDS - 1) daemon.child.kill('SIGUSR2');
    const m = await measure(daemon, paths, SECONDS);
    if (PROFILE && r === ROUNDS - 1) {
      daemon.child.kill('SIGUSR2');
      await daemon.waitFor(/profile-hook: written 1/, 60_000);
    }
    if (TRACE_GC) gcLines = gcLines.concat(daemon.lines.slice(from));
    daemon2xx += m.ok;
    runs.overdue.push({ ...m, backgroundPct: bg2 });
  }

  // 5. Durability sanity: stop the daemon cleanly, then count what the database holds.
  const code = await daemon.stop();
  await bare.stop();
  await floor.stop();
  await sqlite.stop();
  const db = new Database(join(work, 'data', 'overdue.db'), { readonly: true });
  const stored = db.prepare('SELECT COUNT(*) AS n FROM pings').get().n;
  db.close();

  // 6. Figures: the median round of each (by pings/s), and the ratio.
  const pick = (xs) => [...xs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(xs.length / 2)];
  const b = pick(runs.bare);
  const f = pick(runs.floor);
  const s = pick(runs.sqlite);
  const o = pick(runs.overdue);
  const all = [...runs.bare, ...runs.floor, ...runs.sqlite, ...runs.overdue];
  const noisy = all.some((x) => x.backgroundPct > 20);
  // CPU time (user + system, kernel networking included) the server spent per answered request.
  const cpuPerPing = (x) => round(((x.serverCpuPct / 100) * 1e6) / x.perSecond);
  // Of which in the kernel (system time): the rest is the server's own code, in user space.
  const kernelPerPing = (x) => round(((x.serverKernelPct / 100) * 1e6) / x.perSecond);
  const row = (name, x) => [
    name,
    round(x.perSecond, 0),
    x.latency.p50,
    x.latency.p99,
    x.latency.max,
    x.serverCpuPct,
    cpuPerPing(x),
    kernelPerPing(x),
    round(x.loadGenCpuPct),
    x.non2xx + x.errors,
  ];
  const ratios = (name, x) => [
    name,
    ratio(x.perSecond, b.perSecond),
    ratio(x.latency.p50, b.latency.p50),
    ratio(x.latency.p99, b.latency.p99),
    '',
    '',
    ratio(cpuPerPing(x), cpuPerPing(b)),
    ratio(kernelPerPing(x), kernelPerPing(b)),
    '',
    '',
  ];
  console.log('');
  table([
    [
      '',
      'pings/s (2xx)',
      'p50 ms',
      'p99 ms',
      'max ms',
      'server CPU %',
      'server CPU µs/ping',
      'of which kernel',
      'wrk CPU %',
      'errors',
    ],
    row('bare node:http (baseline)', b),
    row('floor: answers after an fdatasync', f),
    row('SQLite floor: a row each, then fdatasync', s),
    row('overdue (durable)', o),
    ratios('ratio floor/bare', f),
    ratios('ratio SQLite floor/bare', s),
    ratios('ratio overdue/bare', o),
  ]);
  console.log(
    `\nper round (pings/s): bare ${perRound(runs.bare)}; floor ${perRound(runs.floor)}; SQLite floor ${perRound(runs.sqlite)}; overdue ${perRound(runs.overdue)}`,
  );
  console.log(
    `background CPU before each run (% of one core): ${all.map((x) => x.backgroundPct).join(', ')}${noisy ? '  <- the machine was busy with other work: figures are noisy' : ''}`,
  );
  const durable = stored >= daemon2xx;
  console.log(
    `durability: ${stored} pings stored >= ${daemon2xx} answered 2xx: ${durable ? 'ok' : 'FAILED'} (daemon exit ${code})`,
  );
  const result = {
    benchmark: 'ingest',
    monitors: MONITORS,
    connections: CONNECTIONS,
    method: METHOD,
    load_generator: 'wrk -t1 (scripts/bench/wrk-pings.lua), monitors in a random order',
    seconds: SECONDS,
    rounds: ROUNDS,
    overdue_start_ms: round(daemon.startMs),
    first_pings_per_s: round((slugs.length / armMs) * 1000, 0),
    baseline_bare_http: {
      pings_per_s: round(b.perSecond, 0),
      p50_ms: b.latency.p50,
      p99_ms: b.latency.p99,
      cpu_us_per_ping: cpuPerPing(b),
      kernel_cpu_us_per_ping: kernelPerPing(b),
    },
    floor_fdatasync_http: {
      pings_per_s: round(f.perSecond, 0),
      p50_ms: f.latency.p50,
      p99_ms: f.latency.p99,
      cpu_us_per_ping: cpuPerPing(f),
      kernel_cpu_us_per_ping: kernelPerPing(f),
    },
    sqlite_floor_http: {
      pings_per_s: round(s.perSecond, 0),
      p50_ms: s.latency.p50,
      p99_ms: s.latency.p99,
      cpu_us_per_ping: cpuPerPing(s),
      kernel_cpu_us_per_ping: kernelPerPing(s),
    },
    overdue: {
      pings_per_s: round(o.perSecond, 0),
      p50_ms: o.latency.p50,
      p99_ms: o.latency.p99,
      cpu_us_per_ping: cpuPerPing(o),
      kernel_cpu_us_per_ping: kernelPerPing(o),
    },
    ratio_pings_per_s: ratio(o.perSecond, b.perSecond),
    ratio_floor_pings_per_s: ratio(f.perSecond, b.perSecond),
    ratio_sqlite_floor_pings_per_s: ratio(s.perSecond, b.perSecond),
    durability: { stored_pings: stored, answered_2xx: daemon2xx, ok: durable },
    noisy,
    runs,
  };
  if (TRACE_GC) {
    const gc = gcStats(gcLines);
    const requests = runs.overdue.reduce((a, x) => a + x.ok, 0);
    gc.bytesFreedPerPing = round((gc.scavengedMB * 2 ** 20) / requests, 0);
    console.log(`GC under load (${ROUNDS} x ${SECONDS} s): ${JSON.stringify(gc)}`);
    result.gc = gc;
  }
  if (PROFILE) {
    const cpu = summariseCpu(
      JSON.parse(readFileSync(join(profileDir, 'cpu-1.cpuprofile'), 'utf8')),
    );
    const heap = summariseHeap(
      JSON.parse(readFileSync(join(profileDir, 'alloc-1.heapprofile'), 'utf8')),
    );
    printCpu(cpu, 'overdue under load, CPU');
    printHeap(heap, 'overdue under load, allocations');
    result.profile = { cpu, heap };
  }
  writeResult('ingest', result);
  if (!durable) throw new Error('fewer pings stored than acknowledged');
}

/** The pings/s of each round. */
function perRound(xs) {
  return xs.map((x) => round(x.perSecond, 0)).join(', ');
}

run('ingest', main);
