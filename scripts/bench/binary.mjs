// Benchmark: the single executable's size and its cold start to the first `200` on a ping, median
// of 10, beside a baseline measured in the same run: the bare Node 24 binary it embeds, starting a
// minimal node:http server. Run `npm run build:binary` first. Writes build/bench/binary.json.
//
//   npm run bench:binary
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BINARY = join(ROOT, 'build', 'overdue');
const RUNS = 10;
const KEY = 'bench-ping-key-0123456789';

function baselineNode() {
  const sea = join(ROOT, 'build', 'sea');
  const dir = readdirSync(sea).find((d) => d.startsWith('node-v') && !d.endsWith('.stamp'));
  if (!dir) throw new Error('no Node binary in build/sea: run npm run build:binary first');
  return { path: join(sea, dir, 'bin', 'node'), version: dir.slice('node-'.length) };
}

const BASELINE_SERVER = `
const http = require('node:http');
const s = http.createServer((q, r) => r.end('OK'));
s.listen(0, '127.0.0.1', () => console.log('msg=listening url=http://127.0.0.1:' + s.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

/** Spawns, waits for the listening line, pings; returns ms from spawn to the 200. */
function timeToFirst200(cmd, args, env, cwd, pingPath) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let done = false;
    const finish = (error, ms) => {
      if (done) return;
      done = true;
      child.kill('SIGTERM');
      child.once('exit', () => (error ? reject(error) : resolve(ms)));
    };
    child.stdout.on('data', async (chunk) => {
      out += chunk;
      const m = /msg=listening url=(\S+)/.exec(out);
      if (!m || done) return;
      try {
        const res = await fetch(m[1] + pingPath);
        if (res.status !== 200) return finish(new Error(`ping answered ${res.status}`));
        finish(null, performance.now() - start);
      } catch (error) {
        finish(error);
      }
    });
    child.stderr.on('data', (c) => (out += c));
    child.once('exit', (code) => {
      if (!done) reject(new Error(`exited ${code} before answering:\n${out}`));
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 10) / 10;

async function main() {
  const size = statSync(BINARY).size;
  const node = baselineNode();
  const work = mkdtempSync(join(tmpdir(), 'overdue-bench-'));
  writeFileSync(
    join(work, 'config.yaml'),
    `server:\n  listen: 127.0.0.1:0\n  ping-key: ${KEY}\nmonitors:\n  job:\n    every: 1h\n`,
  );
  writeFileSync(join(work, 'baseline.js'), BASELINE_SERVER);
  const env = (cache) => ({ PATH: '/usr/bin:/bin', HOME: work, CACHE_DIRECTORY: cache });
  const cold = [];
  const warm = [];
  const baseline = [];
  const warmCache = join(work, 'warm-cache');
  for (let i = 0; i < RUNS; i++) {
    // Cold: an empty cache dir and an empty data dir, as on the first start after install.
    const cache = join(work, `cache-${i}`);
    rmSync(join(work, 'data'), { recursive: true, force: true });
    cold.push(
      await timeToFirst200(
        BINARY,
        ['serve', '--config', 'config.yaml', '--no-watch'],
        env(cache),
        work,
        `/ping/${KEY}/job`,
      ),
    );
    warm.push(
      await timeToFirst200(
        BINARY,
        ['serve', '--config', 'config.yaml', '--no-watch'],
        env(warmCache),
        work,
        `/ping/${KEY}/job`,
      ),
    );
    baseline.push(await timeToFirst200(node.path, ['baseline.js'], env(warmCache), work, '/'));
  }
  rmSync(work, { recursive: true, force: true });
  const result = {
    benchmark: 'binary',
    node: node.version,
    runs: RUNS,
    size_bytes: size,
    size_mib: round(size / 2 ** 20),
    cold_start_ms_median: round(median(cold)),
    warm_start_ms_median: round(median(warm)),
    baseline_node_http_ms_median: round(median(baseline)),
    ratio_cold_to_baseline: round(median(cold) / median(baseline)),
  };
  console.log(`overdue binary: ${result.size_mib} MiB`);
  console.log(`first 200 after spawn, median of ${RUNS}:`);
  console.log(`  overdue, empty addon cache   ${result.cold_start_ms_median} ms`);
  console.log(`  overdue, warm addon cache    ${result.warm_start_ms_median} ms`);
  console.log(
    `  bare node ${node.version} node:http   ${result.baseline_node_http_ms_median} ms (baseline)`,
  );
  console.log(`  ratio cold/baseline          ${result.ratio_cold_to_baseline}`);
  mkdirSync(join(ROOT, 'build', 'bench'), { recursive: true });
  writeFileSync(
    join(ROOT, 'build', 'bench', 'binary.json'),
    JSON.stringify(result, null, 2) + '\n',
  );
}

main().catch((error) => {
  console.error(`bench:binary failed: ${error.message}`);
  process.exit(1);
});
