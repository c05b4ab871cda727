#!/usr/bin/env node
// Cold start to the first 200: from spawning `overdue serve` (with an empty data dir and an empty
// addon cache, so the first start unpacks the SQLite addon) to the answer 200 to a ping, for:
//
//   node scripts/release/cold-start.mjs [--runs 5]                  build/overdue
//   node scripts/release/cold-start.mjs --arch arm64                build/overdue-arm64 under qemu
//   node scripts/release/cold-start.mjs --image release/overdue-<v>-image-x64.oci.tar
//                                     the image's bundle in a chroot, as its user (root needed)
//
// The clock starts before spawn and stops when the ping's 200 arrives: the URL comes from the
// daemon's `listening` log line, so nothing polls. The files are in the page cache (warm disk).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { BINARY, EXEC, fail, option, run, VERSION } from './lib.mjs';

const PING_KEY = 'cold-start-ping-key-0123';
// The key comes from the environment: overdue refuses a world-readable config with a literal secret.
const config = (dataDir) =>
  'server:\n  listen: 127.0.0.1:0\n' +
  `  data-dir: ${dataDir}\n  ping-key: \${OVERDUE_PING_KEY}\nmonitors:\n  job:\n    every: 1h\n`;

/** A way to start the daemon fresh: `prepare()` empties its state and returns the command. */
function binaryTarget(arch, work) {
  return () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(join(work, 'cache'), { recursive: true });
    writeFileSync(join(work, 'config.yaml'), config(join(work, 'data')));
    const [command = BINARY[arch], ...prefix] = EXEC[arch];
    const args = [...prefix, ...(EXEC[arch].length > 0 ? [BINARY[arch]] : [])];
    return {
      command,
      args: [...args, 'serve', '--config', join(work, 'config.yaml')],
      env: {
        PATH: '/usr/bin:/bin',
        HOME: work,
        CACHE_DIRECTORY: join(work, 'cache'),
        OVERDUE_PING_KEY: PING_KEY,
      },
    };
  };
}

function imageTarget(archive, work) {
  const layout = join(work, 'layout');
  const bundle = join(work, 'bundle');
  mkdirSync(layout, { recursive: true });
  run('tar', ['-xf', archive, '-C', layout]);
  run('umoci', ['unpack', '--image', `${layout}:${VERSION}`, bundle]);
  const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')).process;
  const rootfs = join(bundle, 'rootfs');
  const env = Object.fromEntries(
    spec.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  return () => {
    for (const dir of ['data', 'var/cache/overdue']) {
      rmSync(join(rootfs, dir), { recursive: true, force: true });
      mkdirSync(join(rootfs, dir), { recursive: true });
      run('chown', [`${spec.user.uid}:${spec.user.gid}`, join(rootfs, dir)]);
    }
    writeFileSync(join(rootfs, 'etc/overdue/config.yaml'), config('/data'));
    const user = `--userspec=${spec.user.uid}:${spec.user.gid}`;
    return {
      command: '/usr/sbin/chroot',
      args: [user, rootfs, ...spec.args],
      env: { ...env, OVERDUE_PING_KEY: PING_KEY },
    };
  };
}

async function once200(target) {
  const { command, args, env } = target();
  const startedAt = performance.now();
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const output = [];
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      output.push(line);
      const url = /\bmsg=listening\b.*\burl=(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      if (url === undefined) continue;
      const res = await fetch(`${url}/ping/${PING_KEY}/job`);
      if (res.status !== 200) fail(`the ping was answered ${res.status}`);
      return performance.now() - startedAt;
    }
    fail(`serve exited before listening:\n${output.join('\n')}`);
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
  }
}

const argv = process.argv.slice(2);
const runs = Number(option(argv, 'runs', '5'));
const work = mkdtempSync(join(tmpdir(), 'overdue-cold-'));
try {
  const image = option(argv, 'image', undefined);
  const arch = option(argv, 'arch', 'x64');
  const target = image ? imageTarget(image, work) : binaryTarget(arch, join(work, 'run'));
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await once200(target));
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const what = image
    ? `image ${image} (chroot)`
    : `${BINARY[arch]}${arch === 'x64' ? '' : ' (qemu)'}`;
  process.stdout.write(
    `cold start to first 200, ${what}: median ${median.toFixed(0)} ms ` +
      `(min ${sorted[0].toFixed(0)}, max ${sorted.at(-1).toFixed(0)}, ${runs} runs: ${times.map((t) => t.toFixed(0)).join(' ')})\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
