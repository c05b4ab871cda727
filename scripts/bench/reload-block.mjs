// Benchmark: how long a reload of a large config blocks the daemon's event loop. The real daemon
// (a spawned `node dist/main.js serve`, with scripts/bench/loop-probe.mjs loaded by --import)
// starts on a generated config of --monitors monitors (default 550 000: about 50 MB); the file is
// rewritten with every grace changed, and SIGHUP reloads it. Measured from SIGHUP to the
// `config reloaded` line: the longest gap between two ticks of a 2 ms timer inside the daemon, the
// maximum of perf_hooks' event-loop delay, and the slowest answer to a ping sent every 10 ms from
// this process (the baseline: the same pings while the daemon is idle, just before). Run `npm run
// build` first (npm run bench:reload builds and runs it). Writes build/bench/reload-block.json.
//
//   node scripts/bench/reload-block.mjs [--monitors 550000]
import { statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import {
  BENCH_DIR,
  KEY,
  option,
  requireBuild,
  round,
  run,
  sleep,
  startDaemon,
  table,
  tempDir,
  waitQuiet,
  writeConfig,
  writeResult,
} from './lib.mjs';

const MONITORS = Number(option('monitors', '550000'));
const PING_EVERY_MS = 10;

/** The same fleet as bench:scale's mixed shape; `grace` changes between the two files. */
function monitorsOf(n, grace) {
  return Array.from({ length: n }, (_, i) => {
    const slug = `job-${String(i).padStart(6, '0')}`;
    const schedule =
      i % 4 === 3 ? ["cron: '*/15 * * * *'", 'timezone: Europe/Berlin'] : ['every: 5m'];
    return [slug, [`name: Job ${i}`, ...schedule, `grace: ${grace}`, 'notify: [ops]']];
  });
}

function write(dir, grace) {
  return writeConfig(dir, {
    hooks: '  ops:\n    webhook: http://127.0.0.1:9/alert',
    monitors: monitorsOf(MONITORS, grace),
  });
}

/** Pings one monitor every PING_EVERY_MS until stopped; resolves with the slowest answer (ms). */
function pinger(url) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let slowest = 0;
  let answered = 0;
  let failed = 0;
  const ping = () => {
    const t0 = performance.now();
    const req = request(`${url}/ping/${KEY}/job-000000`, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        slowest = Math.max(slowest, performance.now() - t0);
        if (res.statusCode === 200) answered++;
        else failed++;
      });
    });
    req.on('error', () => failed++);
    req.end();
  };
  const timer = setInterval(ping, PING_EVERY_MS);
  return async () => {
    clearInterval(timer);
    await sleep(200);
    agent.destroy();
    return { slowestMs: round(slowest), answered, failed };
  };
}

/** SIGUSR2 makes the probe print its figures (and start over); resolves with them. */
async function probe(daemon) {
  const printed = daemon.waitFor(/^\{"probe"/, 10_000);
  daemon.child.kill('SIGUSR2');
  return JSON.parse((await printed).line).probe;
}

async function main() {
  requireBuild();
  const dir = tempDir('reload-block');
  const file = write(dir, '2m');
  const bytes = statSync(file).size;
  const daemon = await startDaemon(file, {
    nodeArgs: ['--import', join(BENCH_DIR, 'loop-probe.mjs')],
    timeoutMs: 600_000,
    keepLines: false,
  });
  write(dir, '3m');
  await waitQuiet();
  // 1. The baseline: the same probe and pings over 2 s of an idle daemon.
  await probe(daemon);
  let stop = pinger(daemon.url);
  await sleep(2_000);
  const idle = { ...(await probe(daemon)), ...(await stop()) };
  // 2. The reload.
  await probe(daemon);
  stop = pinger(daemon.url);
  const reloaded = daemon.waitFor(/msg="config reloaded"/, 600_000);
  const t0 = performance.now();
  daemon.child.kill('SIGHUP');
  const reloadMs = round((await reloaded).at - t0);
  const during = { ...(await probe(daemon)), ...(await stop()) };
  await daemon.stop();

  const rows = [['', 'longest timer gap', 'event-loop delay max', 'slowest ping', 'pings 200']];
  for (const [name, m] of [
    ['idle (baseline)', idle],
    ['during the reload', during],
  ])
    rows.push([
      name,
      m.longestGapMs,
      m.delayMaxMs,
      m.slowestMs,
      `${m.answered} (${m.failed} failed)`,
    ]);
  console.log(
    `\n${MONITORS} monitors, ${round(bytes / 2 ** 20)} MiB: SIGHUP to \`config reloaded\` ${reloadMs} ms (ms below)`,
  );
  table(rows);
  writeResult('reload-block', { monitors: MONITORS, bytes, reloadMs, idle, during });
}

run('reload-block', main);
