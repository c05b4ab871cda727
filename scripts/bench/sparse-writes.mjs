// Benchmark: what a ping costs the disk when pings come one at a time (a daemon's usual day: jobs
// pinging now and then, not a flood), for two builds measured alternately in one run. Per ping: the
// bytes the daemon process had written to storage (/proc/PID/io write_bytes: the file pages it
// dirtied, which its fsyncs flush; not the filesystem journal's own writes, which the kernel's
// journal thread makes) and its write calls (syscw: every write(2) and pwrite(2), log lines
// included). Each round sends PINGS pings, one at a time, EVERY ms apart, over 20 monitors, each
// acknowledged only once durable as always, then waits 11 s: for the syncs it started to end, and
// for the copy a quiet daemon makes 10 s after its last one (wal-sync.ts), so each round pays for
// all it wrote. The daemons run side by side, each on a data dir of its own; only one is pinged at
// a time.
//
//   node scripts/bench/sparse-writes.mjs --a DIST_A --b DIST_B [--pings 300] [--every 20]
//     [--rounds 3]
// DIST_A and DIST_B are dist/ folders (e.g. a snapshot of a commit's `npm run build`). Writes
// build/bench/sparse-writes.json.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  option,
  pingEach,
  round,
  run,
  sleep,
  start,
  table,
  tempDir,
  writeConfig,
  writeResult,
} from './lib.mjs';

const PINGS = Number(option('pings', 300));
const EVERY_MS = Number(option('every', 20));
const ROUNDS = Number(option('rounds', 3));
const MONITORS = 20;

/** The counters of /proc/PID/io, by name. */
function io(pid) {
  const lines = readFileSync(`/proc/${pid}/io`, 'utf8').trim().split('\n');
  return Object.fromEntries(lines.map((l) => l.split(': ')).map(([k, v]) => [k, Number(v)]));
}

async function startBuild(name, dist) {
  const dir = tempDir(`sparse-writes-${name}`);
  const slugs = Array.from({ length: MONITORS }, (_, i) => `job-${i}`);
  const config = writeConfig(dir, { monitors: slugs.map((s) => [s, ['every: 1h']]) });
  const main = join(resolve(dist), 'main.js');
  const daemon = start(process.execPath, [main, 'serve', '--config', config, '--no-watch'], {
    cwd: dir,
  });
  const { line } = await daemon.waitFor(/msg=listening url=(\S+)/, 60_000);
  daemon.url = /msg=listening url=(\S+)/.exec(line)[1];
  // Every monitor's first ping (new -> up, a transition each) is not measured.
  await pingEach(daemon.url, slugs, { concurrency: 1 });
  await sleep(11_000);
  return { name, dist, daemon, slugs };
}

/** One round: PINGS pings one at a time; the disk writes and write calls per ping. */
async function measure({ daemon, slugs }) {
  const targets = Array.from({ length: PINGS }, (_, i) => slugs[i % slugs.length]);
  const before = io(daemon.pid);
  await pingEach(daemon.url, targets, { seconds: (PINGS * EVERY_MS) / 1000, concurrency: 1 });
  await sleep(11_000);
  const after = io(daemon.pid);
  return {
    bytesPerPing: round((after.write_bytes - before.write_bytes) / PINGS, 0),
    writeCallsPerPing: round((after.syscw - before.syscw) / PINGS, 2),
  };
}

const spread = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return `${s[0]} / ${s[Math.floor(s.length / 2)]} / ${s[s.length - 1]}`;
};

async function main() {
  const a = option('a');
  const b = option('b');
  if (a === undefined || b === undefined) throw new Error('usage: --a DIST_A --b DIST_B');
  const builds = [await startBuild('a', a), await startBuild('b', b)];
  const rounds = { a: [], b: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const build of builds) rounds[build.name].push(await measure(build));
  }
  for (const { daemon } of builds) await daemon.stop();
  console.log(
    `${PINGS} pings a round, one at a time, ${EVERY_MS} ms apart, over ${MONITORS} monitors; ${ROUNDS} rounds, alternating (min / median / max)`,
  );
  table([
    ['build', 'disk bytes written per ping', 'write calls per ping'],
    ...builds.map(({ name, dist }) => [
      `${name}: ${dist}`,
      spread(rounds[name].map((x) => x.bytesPerPing)),
      spread(rounds[name].map((x) => x.writeCallsPerPing)),
    ]),
  ]);
  writeResult('sparse-writes', {
    pings: PINGS,
    everyMs: EVERY_MS,
    monitors: MONITORS,
    a,
    b,
    rounds,
  });
}

run('sparse-writes', main);
