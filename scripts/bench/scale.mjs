// Benchmark: start-up time, memory and reload time of the real daemon (a spawned `node
// dist/main.js serve`) with 10 000 and 100 000 monitors, beside baselines measured in the same
// run: the start of an empty node:http server (`node -e`), and yaml's parse() alone on the same
// file. Start-up is split in-process by scripts/bench/config-probe.mjs (a fresh process each):
// parseConfig (YAML + validation), nextDeadline for every monitor (compiling cron schedules), the
// heap build, Daemon.start on an empty database, Store open + loadMonitors. Reload: SIGHUP to the
// `config reloaded` line (a reload that crashes is reported, not fatal). Targets for 100 000
// monitors: start in <= 3 s, RSS < 300 MB. Run `npm run build` first. Writes build/bench/scale.json.
//
// The generated config is what a large fleet looks like (--shape mixed, the default): 3 in 4
// monitors `every: 5m`, 1 in 4 `cron: '*/15 * * * *'` in Europe/Berlin, each with a name, a grace
// and `notify: [ops]`; --shape every makes them all `every: 5m`.
//
//   node scripts/bench/scale.mjs [--quick] [--monitors 10000,100000] [--shape mixed|every]
//     [--alternatives]   also time yaml's parseDocument, Lexer, Parser, Parser+Composer, js-yaml's
//                        load() (from /tmp/yaml-alt if installed there, see config-probe.mjs)
//     [--profile]        spawn the first start with --cpu-prof; print where start-up goes
//   --quick: 10 000 monitors only. OVERDUE_DIST=DIR measures another build's dist/.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printCpu, summariseCpu } from './profile-top.mjs';
import { BARE_SERVER } from './baseline-servers.mjs';
import {
  BENCH_DIR,
  hasFlag,
  median,
  memMiB,
  option,
  ratio,
  requireBuild,
  round,
  run,
  sleep,
  start,
  startDaemon,
  table,
  tempDir,
  waitQuiet,
  writeConfig,
  writeResult,
} from './lib.mjs';

const QUICK = hasFlag('quick');
const SIZES = option('monitors', QUICK ? '10000' : '10000,100000')
  .split(',')
  .map(Number);
const ALTERNATIVES = hasFlag('alternatives');
const PROFILE = hasFlag('profile');
const SHAPE = option('shape', 'mixed');
const TARGET = { startMs: 3_000, rssMiB: 300 };
const RELOAD_TIMEOUT_MS = 120_000;

function monitorsOf(n) {
  return Array.from({ length: n }, (_, i) => {
    const slug = `job-${String(i).padStart(6, '0')}`;
    const cron = SHAPE === 'mixed' && i % 4 === 3;
    const schedule = cron ? ["cron: '*/15 * * * *'", 'timezone: Europe/Berlin'] : ['every: 5m'];
    return [slug, [`name: Job ${i}`, ...schedule, 'grace: 2m', 'notify: [ops]']];
  });
}

/**
 * Runs config-probe.mjs in a fresh process and returns its figures; when it dies (a heap exhausted)
 * the steps it finished are kept and `failed` says why.
 */
async function probe(file, mode) {
  const proc = start(process.execPath, [join(BENCH_DIR, 'config-probe.mjs'), file, mode]);
  const code = await proc.exited;
  const out = { mode };
  for (const line of proc.lines.filter((l) => l.startsWith('{'))) {
    const j = JSON.parse(line);
    if (j.step !== undefined) out[j.step] = j.value;
    else Object.assign(out, j);
  }
  if (code !== 0) out.failed = failure(proc.lines, code);
  return out;
}

/** Why a process died, in a few words. */
function failure(lines, code) {
  if (lines.some((l) => /heap out of memory/.test(l))) return 'out of memory (V8 heap limit)';
  return `exit ${code}: ${lines.filter((l) => l.trim() !== '').slice(-1)[0] ?? ''}`.slice(0, 200);
}

/** Spawn to `listening` of a bare node:http server, median of 5. */
async function bareStartMs() {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const proc = start(process.execPath, ['-e', BARE_SERVER]);
    const { at } = await proc.waitFor(/msg=listening/, 10_000);
    times.push(at - proc.t0);
    await proc.stop();
  }
  return median(times);
}

/** RSS a moment after start (the start-up garbage has had a chance to be collected). */
async function settledMem(pid) {
  await sleep(1_000);
  return memMiB(pid);
}

async function measureSize(n) {
  const work = tempDir(`scale-${n}`);
  // 1. The config file.
  const file = writeConfig(work, {
    hooks: '  ops:\n    webhook: http://127.0.0.1:9/alert',
    monitors: monitorsOf(n),
  });
  const out = { monitors: n, bytes: readFileSync(file).length };
  await waitQuiet();

  // 2. Spawned: first start (empty database), then a restart on it, then a reload (SIGHUP). The
  // profile (--cpu-prof, written at a clean exit) is of the first start.
  const profileDir = join(work, 'cpuprofile');
  const first = await startDaemon(file, {
    timeoutMs: 300_000,
    nodeArgs: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  out.firstStartMs = round(first.startMs);
  out.firstStartMem = await settledMem(first.pid);
  await first.stop();
  const daemon = await startDaemon(file, { timeoutMs: 300_000 });
  out.restartMs = round(daemon.startMs);
  out.restartMem = await settledMem(daemon.pid);
  // A reload parses the file again while the running config is live: memory may double. It may
  // also fail (the heap exhausted); then the figure is the time to the crash.
  const reloaded = daemon.waitFor(/msg="config reloaded"/, RELOAD_TIMEOUT_MS);
  const t0 = performance.now();
  let peak = out.restartMem.hwm;
  const sampler = setInterval(() => {
    // A process that is exiting has no VmHWM any more: NaN, skipped.
    const hwm = daemon.child.exitCode === null ? memMiB(daemon.pid).hwm : NaN;
    if (Number.isFinite(hwm)) peak = Math.max(peak, hwm);
  }, 500);
  daemon.child.kill('SIGHUP');
  try {
    out.reloadMs = round((await reloaded).at - t0);
    out.afterReloadMem = await settledMem(daemon.pid);
  } catch (error) {
    out.reloadMs = round(performance.now() - t0);
    out.reloadFailed =
      daemon.child.exitCode === null && daemon.child.signalCode === null
        ? `no 'config reloaded' within ${RELOAD_TIMEOUT_MS} ms`
        : failure(daemon.lines, daemon.child.exitCode ?? daemon.child.signalCode);
    out.afterReloadMem = { rss: NaN, hwm: peak };
    void error;
  }
  clearInterval(sampler);
  out.afterReloadMem.hwm = Math.max(out.afterReloadMem.hwm, peak);
  await daemon.stop();
  if (PROFILE) {
    const name = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (name) out.profile = summariseCpu(JSON.parse(readFileSync(join(profileDir, name), 'utf8')));
  }

  // 3. In-process split, and the YAML baselines, each in a fresh process.
  const modes = ['yaml-parse', 'daemon'];
  if (ALTERNATIVES) {
    modes.push(
      'yaml-document',
      'yaml-document+plain-env',
      'parse-config',
      'parse-config+plain-env',
    );
    modes.push('yaml-lexer', 'yaml-parser', 'yaml-compose', 'js-yaml');
  }
  out.probes = {};
  for (const mode of modes) out.probes[mode] = await probe(file, mode);
  return out;
}

async function main() {
  requireBuild();
  // 1. Baseline: an empty node:http server's start.
  await waitQuiet();
  const bareMs = round(await bareStartMs());
  const sizes = [];
  for (const n of SIZES) {
    const t0 = performance.now();
    sizes.push(await measureSize(n));
    console.log(`  ${n} monitors measured in ${round((performance.now() - t0) / 1000)} s`);
  }

  // 2. Output.
  const big = (s) => s.monitors === 100_000;
  const startMet = (s) => Math.max(s.firstStartMs, s.restartMs) <= TARGET.startMs;
  const rssMet = (s) => Math.max(s.firstStartMem.rss, s.restartMem.rss) < TARGET.rssMiB;
  const peak = (s) => Math.max(s.firstStartMem.hwm, s.restartMem.hwm, s.afterReloadMem.hwm);
  const reload = (s) => (s.reloadFailed ? `${s.reloadMs} FAILED: ${s.reloadFailed}` : s.reloadMs);
  console.log(
    '\nthe spawned daemon: spawn to `listening` (ms), RSS 1 s after (MiB), SIGHUP to `config reloaded` (ms)',
  );
  table([
    [
      'monitors',
      'first start',
      'restart',
      'baseline: bare node:http',
      'ratio',
      'RSS',
      'peak RSS',
      'reload',
      'baseline: yaml parse()',
      'ratio restart/parse',
      'start <= 3 s',
      'RSS < 300 MB',
    ],
    ...sizes.map((s) => [
      s.monitors,
      s.firstStartMs,
      s.restartMs,
      bareMs,
      ratio(s.restartMs, bareMs),
      s.restartMem.rss,
      peak(s),
      reload(s),
      s.probes['yaml-parse'].ms,
      ratio(s.restartMs, s.probes['yaml-parse'].ms),
      big(s) ? (startMet(s) ? 'met' : 'MISSED') : startMet(s) ? '(met)' : '(missed)',
      big(s) ? (rssMet(s) ? 'met' : 'MISSED') : rssMet(s) ? '(met)' : '(missed)',
    ]),
  ]);
  console.log(
    '\nwhere start-up goes: each step in-process, cold, in a fresh process (ms; RSS in MiB)',
  );
  const d = (s) => s.probes.daemon;
  table([
    [
      'monitors',
      'yaml parse()',
      'parseConfig (YAML + schema)',
      'nextDeadline x all (cron compile)',
      'heap build',
      'Daemon.start, empty db',
      'Store open',
      'loadMonitors',
      'probe RSS',
      'probe failed',
    ],
    ...sizes.map((s) => [
      s.monitors,
      s.probes['yaml-parse'].ms,
      d(s).parseConfigMs,
      d(s).nextDeadlineAllMs,
      d(s).heapBuildMs,
      d(s).daemonStartMs,
      d(s).storeOpenMs,
      d(s).loadMonitorsMs,
      d(s).rssMiB,
      d(s).failed ?? '',
    ]),
  ]);
  if (ALTERNATIVES) {
    console.log('\nparsing the same file other ways: ms (RSS of the probe process, MiB)');
    const alt = [
      'yaml-parse',
      'yaml-document',
      'yaml-document+plain-env',
      'parse-config',
      'parse-config+plain-env',
      'yaml-lexer',
      'yaml-parser',
      'yaml-compose',
      'js-yaml',
    ];
    table([
      ['monitors', ...alt],
      ...sizes.map((s) => [
        s.monitors,
        ...alt.map((m) => `${s.probes[m].ms} (${s.probes[m].rssMiB})`),
      ]),
    ]);
    const js = sizes[0].probes['js-yaml'];
    console.log(`js-yaml ${js.version} from ${js.from}`);
  }
  for (const s of sizes) {
    if (s.profile) printCpu(s.profile, `overdue first start, ${s.monitors} monitors`);
  }
  writeResult('scale', {
    benchmark: 'scale',
    targets: TARGET,
    shape: SHAPE,
    baseline_bare_http_start_ms: bareMs,
    sizes,
  });
}

run('scale', main);
