// Benchmark: how late overdue alerts, through the real daemon (a spawned `node dist/main.js
// serve`). Each case has N monitors, D of which fall due in the window: each of those is `every: E`
// with a 1 s grace and notifies a webhook hook pointing at a local receiver
// (scripts/bench/webhook-receiver.mjs, a process of its own so its CPU is not counted in the
// daemon's) that records when each alert arrives; the other N - D wait an hour from start-up, in the
// same heap. Each of the D is armed by one ping, the pings spread evenly over a window of W
// seconds, so the down deadlines (the ping's `at` as stored in SQLite + E + grace) are spread over
// W seconds too. For each alert:
//   detection = the down transition's `at` in SQLite - the exact deadline (the scheduler's share)
//   arrival   = the alert's arrival at the receiver - the exact deadline (what a user sees)
// The first half of the deadlines falls due with the daemon idle; at the middle of the window
// autocannon (its own process, 64 connections) starts saturating the daemon with pings to 1 000
// other monitors, until the last deadline: the second half is measured under load (the deadlines
// in the second after the load starts are left out of both). Baseline in the same run, beside each
// figure: a bare Node process (scripts/bench/timer-baseline.mjs) waiting for the same deadlines
// with one timer, never armed more than 1 s ahead, measuring its own lateness under the same load.
// Cases by default: 1 000 monitors all due (50 a second); 100 000 monitors of which 2 000 fall due
// (100 a second); and the storm, 100 000 monitors all due within 25 s (4 000 a second).
// Targets for 100 000 monitors: alert arrival p99 <= 5 ms idle, <= 25 ms under load.
// Run `npm run build` first. Writes build/bench/lateness.json.
//
//   node scripts/bench/lateness.mjs [--quick] [--monitors 1000,100000:2000,100000]  (N or N:D)
//     [--window S]                 seconds the deadlines are spread over (default 20 up to 10 000
//                                  due, 25 above: 100 000 first pings take about that long)
//     [--drain S]                  seconds to wait for alerts after the last deadline (default 10)
//     [--baseline heap|timeout]    the baseline's timer: one over the sorted deadlines, or one
//                                  setTimeout per deadline
//     [--profile]                  CPU profile of each half, with the idle half's long tasks
//                                  (what holds the event loop), allocations of the loaded half
//     [--profile-dir D]            keep the raw profiles in D
//     [--group WAIT:MAX]           group the webhook hook's alerts (`group: { wait, max }`), e.g.
//                                  1s:100; with --monitors 100000, the storm through a grouped hook.
//                                  Reports when the last alert arrived after the last deadline.
//   --quick: 1 000 monitors, a 10 s window. OVERDUE_DIST=DIR measures another build's dist/.
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  longTasks,
  printCpu,
  printHeap,
  printLongTasks,
  summariseCpu,
  summariseHeap,
} from './profile-top.mjs';
import {
  BENCH_DIR,
  cpuMeter,
  hasFlag,
  option,
  pingEach,
  ratio,
  requireBuild,
  round,
  run,
  sleep,
  start,
  startDaemon,
  startLoad,
  summary,
  table,
  tempDir,
  waitQuiet,
  writeConfig,
  writeResult,
} from './lib.mjs';

const QUICK = hasFlag('quick');
// Each case: N monitors configured, of which D fall due in the window ("N:D"; "N" alone: all).
const CASES = option('monitors', QUICK ? '1000' : '1000,100000:2000,100000')
  .split(',')
  .map((c) => {
    const [n, due = n] = c.split(':').map(Number);
    return { n, due };
  });
const windowOf = (n) => Number(option('window', QUICK ? 10 : n <= 10_000 ? 20 : 25));
const DRAIN_S = Number(option('drain', QUICK ? 5 : 10));
const BASELINE = option('baseline', 'heap');
const PROFILE = hasFlag('profile');
const GRACE_MS = 1_000;
/** `--group 1s:100`: the hook's `group:` as YAML, or null (ungrouped). */
const GROUP = (() => {
  const text = option('group');
  if (text === undefined) return null;
  const m = /^(\w+):(\d+)$/.exec(text);
  if (m === null) throw new Error(`--group takes WAIT:MAX, like 1s:100 (got '${text}')`);
  return `{ wait: ${m[1]}, max: ${m[2]} }`;
})();
// The daemon takes the arming pings at its own pace: they may take up to 1.6 windows (a late
// arming widens the window; the measured one is reported). The first deadline falls 4 s after
// that, time to read the deadlines back from SQLite and hand them to the baseline.
const armTimeoutMs = (n) => windowOf(n) * 1600;
const everyOf = (n) => armTimeoutMs(n) + 4_000;
const LOAD_MONITORS = 1_000;
const LOAD_CONNECTIONS = 64;
// Deadlines this close after the load starts are in neither half (autocannon ramps up).
const RAMP_MS = 1_000;
const TARGET_P99 = { idle: 5, load: 25 };

const pad = (i, n) => String(i).padStart(n, '0');

async function getText(url) {
  const res = await fetch(url);
  return res.text();
}

/** Lateness figures where a missing alert counts as at least `drainedAt - deadline`. */
function withMissing(values, missing) {
  return { ...summary([...values, ...missing]), lowerBound: missing.length > 0 };
}

async function measureSize({ n, due }, receiver) {
  const work = tempDir(`lateness-${n}`);
  // 1. Config: `due` monitors that alert, n - due that wait an hour, and 1 000 for the load.
  const slugs = Array.from({ length: due }, (_, i) => `d${pad(i, 6)}`);
  // The others wait an hour from start-up: in the heap with the rest, never due here.
  const quietSlugs = Array.from({ length: n - due }, (_, i) => `q${pad(i, 6)}`);
  const loadSlugs = Array.from({ length: LOAD_MONITORS }, (_, i) => `l${pad(i, 4)}`);
  const every = everyOf(due);
  const config = writeConfig(work, {
    server: '  keep-pings: 1000000',
    hooks:
      `  sink:\n    webhook: ${receiver.url}/alert\n    timeout: 10s` +
      (GROUP === null ? '' : `\n    group: ${GROUP}`),
    monitors: [
      ...slugs.map((s) => [
        s,
        [
          `every: ${every}ms`,
          `grace: ${GRACE_MS}ms`,
          'wait-for-first-ping: true',
          'notify: [sink]',
        ],
      ]),
      ...quietSlugs.map((s) => [s, ['every: 1h', 'grace: 1h', 'notify: [sink]']]),
      ...loadSlugs.map((s) => [s, ['every: 1h', 'grace: 1h', 'wait-for-first-ping: true']]),
    ],
  });

  // 2. The daemon on a fresh database, and the baseline process.
  // Kept only when --profile-dir is given (the raw .cpuprofile opens in Chrome DevTools).
  const profileDir = join(option('profile-dir') ?? work, `profile-${n}-${due}`);
  mkdirSync(profileDir, { recursive: true });
  const daemon = await startDaemon(config, {
    keepLines: false,
    timeoutMs: 300_000,
    nodeArgs: PROFILE ? ['--import', join(BENCH_DIR, 'profile-hook.mjs')] : [],
    env: PROFILE ? { OVERDUE_BENCH_PROFILE_DIR: profileDir } : {},
  });
  const baseline = start(process.execPath, [join(BENCH_DIR, 'timer-baseline.mjs'), BASELINE]);
  const quiet = await waitQuiet({ maxMs: 10_000 });

  // 3. Arm: one ping per monitor, spread evenly over the window.
  const armMs = await pingEach(daemon.url, slugs, {
    seconds: windowOf(due),
    concurrency: 64,
    timeoutMs: armTimeoutMs(due),
  }).catch((error) => {
    const exit = daemon.child.exitCode ?? daemon.child.signalCode ?? 'still running';
    const tail = daemon.lines.slice(-10).join('\n');
    throw new Error(
      `arming failed: ${error.message}; the daemon: ${exit}; its last lines:\n${tail}`,
    );
  });

  // 4. The exact deadlines, from the pings' `at` in SQLite; the baseline gets the same ones.
  const db = new Database(join(work, 'data', 'overdue.db'), { readonly: true });
  const pings = db
    .prepare(
      `SELECT m.slug, p.at FROM pings p JOIN monitors m ON m.id = p.monitor_id WHERE m.slug LIKE 'd%'`,
    )
    .all();
  if (pings.length !== due) throw new Error(`expected ${due} arming pings, found ${pings.length}`);
  const deadline = new Map(pings.map((p) => [p.slug, p.at + every + GRACE_MS]));
  baseline.child.stdin.end(JSON.stringify(slugs.map((s) => deadline.get(s))) + '\n');
  let first = Infinity;
  let last = -Infinity;
  for (const d of deadline.values()) {
    first = Math.min(first, d);
    last = Math.max(last, d);
  }
  const loadAt = first + (last - first) / 2;
  const half = (d) => (d < loadAt ? 'idle' : d >= loadAt + RAMP_MS ? 'load' : null);

  // 5. The load starts at the middle of the window and runs until 2 s after the last deadline.
  // Profiles: one of the idle half (from just before the first deadline), one of the loaded half.
  await sleep(Math.max(0, first - Date.now() - 500));
  if (PROFILE) daemon.child.kill('SIGUSR2');
  // The daemon's CPU over the idle half: what each alert costs it, detection to delivery.
  const idleMeter = cpuMeter([daemon.pid]);
  await sleep(Math.max(0, loadAt - Date.now()));
  const idleCpu = idleMeter();
  if (PROFILE) {
    daemon.child.kill('SIGUSR2');
    await daemon.waitFor(/profile-hook: written 1/, 60_000);
    daemon.child.kill('SIGUSR2');
  }
  const load = startLoad({
    url: daemon.url,
    slugs: loadSlugs,
    connections: LOAD_CONNECTIONS,
    seconds: Math.ceil((last - Date.now()) / 1000) + 2,
  });

  // 6. Wait for every alert, or until the drain time after the last deadline.
  const giveUpAt = last + DRAIN_S * 1000;
  while (Date.now() < giveUpAt) {
    if (Date.now() > last && Number(await getText(`${receiver.url}/count`)) >= n) break;
    await sleep(250);
  }
  const drainedAt = Date.now();
  if (PROFILE) {
    daemon.child.kill('SIGUSR2');
    await daemon.waitFor(/profile-hook: written 2/, 60_000);
  }
  const loadResult = await load.result;
  const baseLine = await baseline.waitFor(/^\{/, Math.max(1_000, last - Date.now() + 10_000), {
    seen: true,
  });
  const baseLateness = JSON.parse(baseLine.line).lateness;

  // 7. Detection from SQLite, arrival from the receiver, each split into its half.
  const requests = Number(await getText(`${receiver.url}/requests`));
  const arrivals = JSON.parse(await getText(`${receiver.url}/results`));
  const code = await daemon.stop();
  const downs = db
    .prepare(
      `SELECT m.slug, t.at FROM transitions t JOIN monitors m ON m.id = t.monitor_id
       WHERE t.to_status = 'down' AND t.reason = 'timeout' AND m.slug LIKE 'd%'`,
    )
    .all();
  db.close();
  const detectedAt = new Map(downs.map((t) => [t.slug, t.at]));
  const arrivedAt = new Map();
  for (const [at, slug, event] of arrivals) {
    if (event === 'down' && !arrivedAt.has(slug)) arrivedAt.set(slug, at);
  }
  const halves = {};
  for (const mode of ['idle', 'load']) {
    const mine = slugs.map((s, i) => [s, i]).filter(([s]) => half(deadline.get(s)) === mode);
    const late = (at, s) => at - deadline.get(s);
    const missing = mine.filter(([s]) => !arrivedAt.has(s)).map(([s]) => late(drainedAt, s));
    halves[mode] = {
      deadlines: mine.length,
      deadlinesPerS: round(
        mine.length / ((mode === 'idle' ? loadAt - first : last - loadAt) / 1000),
      ),
      detection: summary(
        mine.filter(([s]) => detectedAt.has(s)).map(([s]) => late(detectedAt.get(s), s)),
      ),
      detected: mine.filter(([s]) => detectedAt.has(s)).length,
      arrival: withMissing(
        mine.filter(([s]) => arrivedAt.has(s)).map(([s]) => late(arrivedAt.get(s), s)),
        missing,
      ),
      delivered: mine.length - missing.length,
      baseline: summary(mine.map(([, i]) => baseLateness[i]).filter((x) => x !== null)),
      baselineMissed: mine.filter(([, i]) => baseLateness[i] === null).length,
    };
  }
  const idleSeconds = (loadAt - first + 500) / 1000;
  halves.idle.cpuMsPerAlert = round(
    ((idleCpu.pids[0] / 100) * idleSeconds * 1000) / halves.idle.deadlines,
    2,
  );
  const result = {
    monitors: n,
    due,
    windowS: round((last - first) / 1000),
    armS: round(armMs / 1000),
    everyMs: every,
    quietBeforePct: quiet,
    startMs: round(daemon.startMs),
    ingest: { pingsPerS: round(loadResult.perSecond, 0), p99: loadResult.latency.p99 },
    delivered: arrivedAt.size,
    group: GROUP,
    requests,
    // The storm's acceptance figure: every alert delivered within 5 s of the last deadline.
    lastArrivalAfterLastDeadlineMs: round(
      [...arrivedAt.values()].reduce((a, b) => Math.max(a, b), -Infinity) - last,
    ),
    daemonExit: code,
    ...halves,
  };
  if (PROFILE) {
    const read = (name) => JSON.parse(readFileSync(join(profileDir, name), 'utf8'));
    const idle = read('cpu-1.cpuprofile');
    result.profile = {
      idle: { cpu: summariseCpu(idle), longTasks: longTasks(idle, { minMs: 5 }) },
      load: {
        cpu: summariseCpu(read('cpu-2.cpuprofile')),
        heap: summariseHeap(read('alloc-2.heapprofile')),
      },
    };
  }
  return result;
}

async function main() {
  requireBuild();
  // 1. The receiver, shared by every size.
  const receiver = start(process.execPath, [join(BENCH_DIR, 'webhook-receiver.mjs')]);
  receiver.url = /url=(\S+)/.exec((await receiver.waitFor(/msg=listening/, 10_000)).line)[1];
  console.log(
    `one arming ping per monitor that falls due, spread over ${CASES.map((c) => `${windowOf(c.due)} s (${c.due} of ${c.n})`).join(', ')}; ` +
      `down at that ping + every + ${GRACE_MS} ms grace; from the middle of the window on, autocannon ` +
      `(own process, ${LOAD_CONNECTIONS} connections) saturates the daemon with pings to ${LOAD_MONITORS} other monitors; ` +
      `baseline: ${BASELINE === 'heap' ? 'one timer over the sorted deadlines, <= 1 s ahead' : 'one setTimeout per deadline'}, a bare process`,
  );
  // 2. Each size on its own daemon and database.
  const results = [];
  for (const c of CASES) {
    const { n, due } = c;
    const t0 = performance.now();
    const r = await measureSize(c, receiver);
    results.push(r);
    console.log(
      `  ${n} monitors, ${due} due: ${r.delivered}/${due} alerts delivered, window ${r.windowS} s, ` +
        `load ${r.ingest.pingsPerS} pings/s, daemon CPU ${r.idle.cpuMsPerAlert} ms per alert ` +
        `(idle half), ${r.requests} requests${r.group ? ` (group: ${r.group})` : ''}, last alert ` +
        `${r.lastArrivalAfterLastDeadlineMs} ms after the last deadline, measured in ` +
        `${round((performance.now() - t0) / 1000)} s`,
    );
    if (r.profile) {
      printCpu(r.profile.idle.cpu, `overdue, ${n} monitors (${due} due), idle half: CPU`);
      printLongTasks(
        r.profile.idle.longTasks,
        `overdue, ${n} monitors (${due} due), idle half: event-loop stretches`,
      );
      printCpu(r.profile.load.cpu, `overdue, ${n} monitors (${due} due), loaded half: CPU`);
      printHeap(
        r.profile.load.heap,
        `overdue, ${n} monitors (${due} due), loaded half: allocations`,
      );
    }
  }
  await receiver.stop();

  // 3. The table.
  const lb = (s) => (s.lowerBound ? '>=' : '');
  const fmt = (s) => `${lb(s)}${s.p50} / ${lb(s)}${s.p99} / ${lb(s)}${s.max}`;
  console.log(
    '\nlateness in ms, p50 / p99 / max; arrival = the alert at the receiver - the exact deadline',
  );
  const rows = [];
  for (const r of results) {
    for (const mode of ['idle', 'load']) {
      const h = r[mode];
      const met = h.arrival.p99 <= TARGET_P99[mode] && !h.arrival.lowerBound;
      rows.push([
        r.monitors,
        r.due === r.monitors ? 'all' : r.due,
        mode,
        h.deadlinesPerS,
        mode === 'load' ? r.ingest.pingsPerS : '-',
        fmt(h.detection),
        fmt(h.arrival),
        `${h.delivered}/${h.deadlines}`,
        fmt(h.baseline),
        ratio(h.arrival.p99, Math.max(h.baseline.p99, 0.1)),
        `<= ${TARGET_P99[mode]}`,
        r.monitors === 100_000 ? (met ? 'met' : 'MISSED') : met ? '(met)' : '(missed)',
      ]);
    }
  }
  table([
    [
      'monitors',
      'due',
      'half',
      'deadlines/s',
      'load pings/s',
      'detection (SQLite)',
      'alert arrival',
      'delivered',
      'baseline timer',
      'p99 arrival/baseline',
      'target p99',
      '100k target',
    ],
    ...rows,
  ]);
  if (results.some((r) => r.quietBeforePct > 20)) {
    console.log('note: the machine was busy with other work before a run: figures are noisy');
  }
  writeResult('lateness', {
    benchmark: 'lateness',
    grace_ms: GRACE_MS,
    drain_s: DRAIN_S,
    baseline: BASELINE,
    targets_p99_ms: TARGET_P99,
    results,
  });
}

run('lateness', main);
