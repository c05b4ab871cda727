// The container image (scripts/release/image.mjs), run the way a runtime would run it: unpacked
// with umoci into a runtime bundle, then the bundle's own command line, environment and user in a
// chroot of its root filesystem, with the config directory "mounted" at /etc/overdue. Podman does
// not run on the build machine (no container engine), so chroot stands in for it. Skipped without
// root, umoci or build/overdue, unless OVERDUE_REQUIRE_IMAGE=1 (then it fails).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/platform/version.js';
import { whenMissing } from '../helpers/prerequisites.js';
import { tempDir } from '../helpers/temp.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BINARY = join(ROOT, 'build', 'overdue');
const UID = 65532;
const PING_KEY = 'image-test-ping-key-0123';
const isRoot = process.getuid?.() === 0;
const haveUmoci = spawnSync('umoci', ['--version'], { stdio: 'ignore' }).status === 0;
const missing = [
  ...(isRoot ? [] : ['root (the layer keeps owners; chroot)']),
  ...(haveUmoci ? [] : ['umoci (apt-get install umoci)']),
  ...(existsSync(BINARY) ? [] : [`${BINARY} (npm run build:binary)`]),
];
whenMissing('the image', missing, 'OVERDUE_REQUIRE_IMAGE');

interface Bundle {
  readonly process: {
    readonly args: string[];
    readonly env: string[];
    readonly cwd: string;
    readonly user: { readonly uid: number; readonly gid: number };
  };
}

function run(command: string, args: string[]): string {
  const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

describe.runIf(missing.length === 0)('the image', () => {
  const dir = tempDir('overdue-image-');
  const rootfs = join(dir.path, 'bundle', 'rootfs');
  let bundle: Bundle;
  let child: ChildProcess | undefined;

  beforeAll(() => {
    run(process.execPath, ['scripts/release/image.mjs', '--out', dir.path]);
    const layout = join(dir.path, 'layout');
    mkdirSync(layout);
    run('tar', ['-xf', join(dir.path, `overdue-${VERSION}-image-x64.oci.tar`), '-C', layout]);
    run('umoci', ['unpack', '--image', `${layout}:${VERSION}`, join(dir.path, 'bundle')]);
    bundle = JSON.parse(readFileSync(join(dir.path, 'bundle', 'config.json'), 'utf8')) as Bundle;
  }, 120_000);

  afterAll(async () => {
    if (child?.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    dir.remove();
  });

  it('holds the executable, the shared libraries it loads and no shell', () => {
    const files = readdirSync(rootfs, { recursive: true, withFileTypes: true })
      .filter((e) => !e.isDirectory())
      .map((e) => relative(rootfs, join(e.parentPath, e.name)))
      .sort();
    expect(files).toEqual([
      'etc/group',
      'etc/passwd',
      'lib/x86_64-linux-gnu/libc.so.6',
      'lib/x86_64-linux-gnu/libdl.so.2',
      'lib/x86_64-linux-gnu/libgcc_s.so.1',
      'lib/x86_64-linux-gnu/libm.so.6',
      'lib/x86_64-linux-gnu/libpthread.so.0',
      'lib/x86_64-linux-gnu/libstdc++.so.6',
      'lib64/ld-linux-x86-64.so.2',
      'usr/bin/overdue',
      'usr/share/doc/overdue/LICENSE',
    ]);
  });

  it('runs overdue serve as a non-root user, with /data its own', () => {
    expect(bundle.process.args).toEqual(['/usr/bin/overdue', 'serve']);
    expect(bundle.process.user).toEqual({ uid: UID, gid: UID });
    expect(bundle.process.env).toContain('OVERDUE_CONFIG=/etc/overdue/config.yaml');
    expect(statSync(join(rootfs, 'data')).uid).toBe(UID);
  });

  it('serves a ping from the mounted config dir and passes its own health probe', async () => {
    // What `-v ./config:/etc/overdue` would show the container (the test's port, not 8080).
    writeFileSync(
      join(rootfs, 'etc/overdue/config.yaml'),
      `server:\n  listen: 127.0.0.1:0\n  data-dir: /data\n  ping-key: \${OVERDUE_PING_KEY}\nmonitors:\n  job:\n    every: 1h\n`,
    );
    const url = await serve();
    expect((await fetch(`${url}/ping/${PING_KEY}/job`)).status).toBe(200);
    const probe = spawnSync(
      '/usr/sbin/chroot',
      [rootfs, '/usr/bin/overdue', 'probe', `${url}/healthz`],
      {
        env: {},
      },
    );
    expect(probe.status).toBe(0);
    child?.kill('SIGTERM');
    const [code] = (await once(child as ChildProcess, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(statSync(join(rootfs, 'data', 'overdue.db')).uid).toBe(UID);
  });

  /** The bundle's command line, environment and user, chrooted into its root filesystem. */
  async function serve(): Promise<string> {
    const { args, env, user } = bundle.process;
    const environment: Record<string, string> = {};
    for (const kv of env) environment[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
    child = spawn('/usr/sbin/chroot', [`--userspec=${user.uid}:${user.gid}`, rootfs, ...args], {
      env: { ...environment, OVERDUE_PING_KEY: PING_KEY },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    for await (const line of createInterface({ input: child.stdout! })) {
      const url = /\bmsg=listening\b.*\burl=(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      if (url !== undefined) return url;
    }
    throw new Error(`serve exited with ${child.exitCode} before listening`);
  }
});
