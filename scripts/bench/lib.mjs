// Shared by the benchmarks in this folder: spawning and killing processes (every child is tracked
// and killed on exit, error or Ctrl-C), temp dirs (removed on exit), config generation, CPU and RSS
// from /proc, percentiles, the output table and the JSON result. Not a benchmark itself.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH_DIR = join(ROOT, 'scripts', 'bench');
// The build under test: dist/ of this checkout, or another build's dist/ (a snapshot of a commit,
// so that a rebuild by someone else mid-run does not change what is measured).
export const DIST = process.env.OVERDUE_DIST ?? join(ROOT, 'dist');
export const MAIN = join(DIST, 'main.js');
export const KEY = 'bench-ping-key-0123456789';

const children = new Set();
const tempDirs = new Set();

/** A temp dir removed when the process exits. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `overdue-bench-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

/** Kills every child still running (SIGKILL: on the way out nothing is waited for). */
export function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

function cleanup() {
  killAll();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });
}

/** Runs `main`; on error prints it, kills the children, removes the temp dirs and exits 1. */
export function run(name, main) {
  main().then(
    () => {
      cleanup();
      process.exit(0);
    },
    (error) => {
      console.error(`bench:${name} failed: ${error?.stack ?? error}`);
      cleanup();
      process.exit(1);
    },
  );
}

export function hasFlag(name) {
  return process.argv.includes(`--${name}`);
}

/** `--name N` or `--name=N`; a comma-separated list gives several values. */
export function option(name, fallback) {
  const args = process.argv;
  for (let i = 2; i < args.length; i++) {
    if (args[i] === `--${name}` && i + 1 < args.length) return args[i + 1];
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
  }
  return fallback;
}

/**
 * A tracked child process. `lines` holds its stdout+stderr lines; `waitFor(re, ms)` resolves with
 * the first line matching `re` seen after the call (or already seen, with `{ seen: true }`).
 */
export function start(cmd, args, options = {}) {
  const t0 = performance.now();
  const { keepLines, ...spawnOptions } = options;
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], ...spawnOptions });
  children.add(child);
  const proc = {
    child,
    pid: child.pid,
    t0,
    lines: [],
    keepLines: keepLines ?? true,
    onLine: null,
    exited: new Promise((resolve) => child.once('exit', (code, sig) => resolve(code ?? sig))),
  };
  child.once('exit', () => children.delete(child));
  const feed = (stream) => {
    let rest = '';
    stream.on('data', (chunk) => {
      const text = rest + chunk;
      const parts = text.split('\n');
      rest = parts.pop();
      for (const line of parts) {
        const at = performance.now();
        proc.lines.push(line);
        // Without keepLines only the last lines are kept, for error messages.
        if (!proc.keepLines && proc.lines.length > 200) proc.lines.splice(0, 100);
        if (proc.onLine) proc.onLine(line, at);
      }
    });
  };
  feed(child.stdout);
  feed(child.stderr);
  proc.waitFor = (re, timeoutMs, { seen = false } = {}) =>
    new Promise((resolve, reject) => {
      if (seen) {
        const line = proc.lines.find((l) => re.test(l));
        if (line !== undefined) return resolve({ line, at: performance.now() });
      }
      const previous = proc.onLine;
      const timer = setTimeout(() => {
        proc.onLine = previous;
        const tail = proc.lines.slice(-5).map((l) => l.slice(0, 300));
        reject(
          new Error(
            `${args.join(' ')}: no line matching ${re} within ${timeoutMs} ms; last lines:\n${tail.join('\n')}`,
          ),
        );
      }, timeoutMs);
      const exit = () => {
        clearTimeout(timer);
        reject(new Error(`${cmd} exited before ${re}:\n${proc.lines.slice(-20).join('\n')}`));
      };
      child.once('exit', exit);
      proc.onLine = (line, at) => {
        previous?.(line, at);
        if (!re.test(line)) return;
        clearTimeout(timer);
        child.off('exit', exit);
        proc.onLine = previous;
        resolve({ line, at });
      };
    });
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code or signal. */
  proc.stop = async (graceMs = 20_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return proc.exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const result = await proc.exited;
    clearTimeout(timer);
    return result;
  };
  return proc;
}

/**
 * Spawns `node [nodeArgs] dist/main.js serve --config FILE --no-watch` and waits for its
 * `msg=listening` line. Returns the process with `url` and `startMs` (spawn to that line).
 */
export async function startDaemon(
  configFile,
  { nodeArgs = [], timeoutMs = 120_000, env, keepLines = true } = {},
) {
  // OVERDUE_BENCH_BINARY=build/overdue measures the single executable (its embedded Node) instead.
  const binary = process.env.OVERDUE_BENCH_BINARY;
  const serve = ['serve', '--config', configFile, '--no-watch'];
  const proc = start(
    binary === undefined ? process.execPath : resolve(binary),
    binary === undefined ? [...nodeArgs, MAIN, ...serve] : serve,
    { cwd: dirname(configFile), env: { ...process.env, ...env }, keepLines },
  );
  const { line, at } = await proc.waitFor(/msg=listening url=(\S+)/, timeoutMs);
  proc.url = /msg=listening url=(\S+)/.exec(line)[1];
  proc.startMs = at - proc.t0;
  return proc;
}

/**
 * A config of `monitors` (an array of [slug, yaml lines of its body]) plus server, hooks.
 * Written to `dir/config.yaml`; data-dir is `dir/data`.
 */
export function writeConfig(dir, { monitors, hooks = '', server = '', defaults = '' }) {
  const out = [
    'server:',
    '  listen: 127.0.0.1:0',
    '  data-dir: ./data',
    `  ping-key: ${KEY}`,
    server,
    defaults === '' ? '' : `defaults:\n${defaults}`,
    hooks === '' ? '' : `hooks:\n${hooks}`,
    'monitors:',
  ].filter((l) => l !== '');
  for (const [slug, body] of monitors) {
    out.push(`  ${slug}:`);
    for (const line of body) out.push(`    ${line}`);
  }
  const file = join(dir, 'config.yaml');
  writeFileSync(file, out.join('\n') + '\n');
  return file;
}

/** user+system CPU time of a process so far, in ms (from /proc/<pid>/stat). */
export function cpuMs(pid, { kernelOnly = false } = {}) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat; fields[] starts at field 3.
    const ticks = (kernelOnly ? 0 : Number(fields[11])) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** VmRSS and VmHWM (peak) of a process, in MiB; NaN once it has exited. */
export function memMiB(pid) {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    // gone
  }
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: round(kb('VmRSS') / 1024), hwm: round(kb('VmHWM') / 1024) };
}

/**
 * Runs autocannon in its own process (scripts/bench/load-gen.mjs), so the load generator's CPU is
 * not taken from the process under test inside it (they still share the machine's 2 cores).
 * `slugs` are spread over the connections: each connection cycles over its own share.
 */
export async function runLoad({ url, slugs, connections, seconds, method = 'GET', body = '' }) {
  const spec = { url, key: KEY, slugs, connections, seconds, method, body };
  const proc = start(process.execPath, [join(BENCH_DIR, 'load-gen.mjs')], { keepLines: true });
  proc.child.stdin.end(JSON.stringify(spec));
  const code = await proc.exited;
  const line = proc.lines.find((l) => l.startsWith('{'));
  if (code !== 0 || line === undefined) {
    throw new Error(`load-gen exited ${code}:\n${proc.lines.slice(-20).join('\n')}`);
  }
  return { ...JSON.parse(line), pid: proc.pid };
}

/** Like runLoad, but returns at once: `{ proc, result }`, where result is a promise. */
export function startLoad(spec) {
  const full = { key: KEY, method: 'GET', body: '', ...spec };
  const proc = start(process.execPath, [join(BENCH_DIR, 'load-gen.mjs')]);
  proc.child.stdin.end(JSON.stringify(full));
  const result = proc.exited.then((code) => {
    const line = proc.lines.find((l) => l.startsWith('{'));
    if (code !== 0 || line === undefined) {
      throw new Error(`load-gen exited ${code}:\n${proc.lines.slice(-20).join('\n')}`);
    }
    return JSON.parse(line);
  });
  return { proc, result };
}

/** The wrk executable on PATH; throws with the fix when it is not installed. */
export function requireWrk() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const file = join(dir || '.', 'wrk');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this dir
    }
  }
  throw new Error('wrk (the load generator) is not installed: run `apt-get install wrk`');
}

/**
 * Runs wrk on one thread in its own process (scripts/bench/wrk-pings.lua), cycling through `paths`
 * in their order. Returns at once `{ proc, result }` like startLoad; result resolves to the shape
 * load-gen.mjs prints. wrk's CPU is sampled from /proc while it runs, until its result line: it
 * cannot be read once wrk has exited.
 */
export function startWrk({ url, paths, connections, seconds, method = 'GET', body = '' }) {
  const wrk = requireWrk();
  const dir = tempDir('wrk');
  writeFileSync(join(dir, 'paths'), paths.join('\n') + '\n');
  // wrk leaves answers slower than its --timeout (2 s by default) out of the latency figures.
  const args = [
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    `--timeout`,
    `${seconds + 10}s`,
    '--latency',
  ];
  args.push('-s', join(BENCH_DIR, 'wrk-pings.lua'), url, '--', join(dir, 'paths'));
  if (method === 'POST') writeFileSync(join(dir, 'body'), body);
  if (method === 'POST') args.push('--post', join(dir, 'body'));
  const proc = start(wrk, args);
  let cpu = { ms: 0, at: proc.t0 };
  const sample = () => {
    const ms = cpuMs(proc.pid);
    if (!Number.isNaN(ms)) cpu = { ms, at: performance.now() };
  };
  const sampler = setInterval(sample, 100);
  proc.onLine = (line) => line.startsWith('{') && sample();
  // 'close', not 'exit': the result line may still be in the pipe when wrk has exited.
  const closed = new Promise((resolve) =>
    proc.child.once('close', (code, sig) => resolve(code ?? sig)),
  );
  const result = closed.then((code) => {
    clearInterval(sampler);
    const line = proc.lines.find((l) => l.startsWith('{'));
    if (code !== 0 || line === undefined) {
      throw new Error(`wrk exited ${code}:\n${proc.lines.slice(-20).join('\n')}`);
    }
    return wrkResult(JSON.parse(line), (cpu.ms / (cpu.at - proc.t0)) * 100);
  });
  return { proc, result };
}

/**
 * wrk-pings.lua's line (µs) in load-gen.mjs's shape (ms). wrk counts only statuses > 399, so `ok`
 * is every other answer: the servers measured here answer 200 or an error, never a 1xx or 3xx.
 * wrk 4 corrects its latency percentiles for coordinated omission (it adds samples for answers
 * slower than twice a connection's mean interval, which raises them most for servers that answer
 * in bursts), the same way for every server; `max` is as measured.
 */
function wrkResult(w, loadGenCpuPct) {
  const ok = w.requests - w.status_errors;
  const seconds = w.duration_us / 1e6;
  const ms = (us) => round(us / 1000, 2);
  return {
    ok,
    non2xx: w.status_errors,
    errors: w.socket_errors,
    timeouts: w.timeouts,
    seconds: round(seconds, 3),
    perSecond: ok / seconds,
    latency: { p50: ms(w.p50_us), p99: ms(w.p99_us), max: ms(w.max_us) },
    loadGenCpuPct,
  };
}

/** The q-quantile (0..1) of a sorted array, nearest-rank. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

export function summary(values) {
  const s = Float64Array.from(values).sort();
  return {
    n: s.length,
    p50: round(quantile(s, 0.5), 2),
    p99: round(quantile(s, 0.99), 2),
    max: round(s.length ? s[s.length - 1] : NaN, 2),
  };
}

export function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export const ratio = (a, b) => round(a / b, 2);
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Prints rows (arrays of cells) as an aligned table; the first row is the header. */
export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  const line = (r) =>
    r
      .map((cell, c) => {
        const s = String(cell ?? '');
        return c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]);
      })
      .join('  ');
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
}

export function writeResult(name, result) {
  const dir = join(ROOT, 'build', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nwrote ${file}`);
}

/** Fails early with a clear message when dist/ is missing. */
export function requireBuild() {
  try {
    readFileSync(MAIN);
  } catch {
    throw new Error(`${MAIN} is missing: run npm run build first`);
  }
}

/** Jiffies of the whole machine from /proc/stat: busy (user..softirq) and steal, summed over CPUs. */
export function machineTicks() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = f.map(Number);
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
}

/**
 * Samples CPU use between start() and stop(): each given pid's share of one core (%), and the
 * machine's: all cores busy (%, 200 = both cores of 2), the part of that not spent by `pids`
 * (other work on the machine: noise), and steal (time the hypervisor gave to other guests).
 */
export function cpuMeter(pids) {
  const t0 = performance.now();
  const m0 = machineTicks();
  const p0 = pids.map((p) => cpuMs(p));
  const k0 = pids.map((p) => cpuMs(p, { kernelOnly: true }));
  return () => {
    const wall = performance.now() - t0;
    const m1 = machineTicks();
    const per = pids.map((p, i) => ((cpuMs(p) - p0[i]) / wall) * 100);
    const kernel = pids.map((p, i) => ((cpuMs(p, { kernelOnly: true }) - k0[i]) / wall) * 100);
    const ticks = m1.busy - m0.busy + m1.idle - m0.idle + m1.steal - m0.steal || 1;
    const cores = ticks / (wall / 10); // jiffies are 10 ms
    const busyPct = ((m1.busy - m0.busy) / ticks) * cores * 100;
    return {
      pids: per.map((x) => round(x)),
      /** The part of `pids` spent in the kernel (system time: syscalls, TCP, the file system). */
      kernelPids: kernel.map((x) => round(x)),
      machineBusyPct: round(busyPct),
      otherPct: round(Math.max(0, busyPct - per.reduce((a, b) => a + b, 0))),
      stealPct: round(((m1.steal - m0.steal) / ticks) * cores * 100),
    };
  };
}

/**
 * Waits (at most `maxMs`) until the machine is quiet: other work uses less than `threshold` % of
 * one core over a 1 s sample. Returns the last sample, so a noisy run can be flagged.
 */
export async function waitQuiet({ maxMs = 20_000, threshold = 20 } = {}) {
  const until = performance.now() + maxMs;
  for (;;) {
    const meter = cpuMeter([]);
    await sleep(1000);
    const busy = meter().machineBusyPct;
    if (busy < threshold || performance.now() >= until) return busy;
  }
}

/**
 * Pings every slug once (`/ping/<key>/<slug>`, GET), `concurrency` at a time, spread evenly over
 * `seconds` (0: as fast as the server answers). Throws when a ping is not answered 200 or when it
 * takes longer than `timeoutMs` in all. Returns the time it took, in ms.
 */
export async function pingEach(
  url,
  slugs,
  { seconds = 0, concurrency = 32, timeoutMs = 600_000 } = {},
) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const get = (path) =>
    new Promise((resolve, reject) => {
      const req = request(`${url}${path}`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', reject);
      req.end();
    });
  const t0 = performance.now();
  const step = (seconds * 1000) / slugs.length;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < slugs.length; i = next++) {
      const wait = t0 + i * step - performance.now();
      if (wait > 1) await sleep(wait);
      const status = await get(`/ping/${KEY}/${slugs[i]}`);
      if (status !== 200) throw new Error(`ping ${slugs[i]} answered ${status}`);
      if (performance.now() - t0 > timeoutMs) {
        throw new Error(`pinging ${slugs.length} monitors took over ${timeoutMs} ms (${i} sent)`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return performance.now() - t0;
}
