// The arm64 executable (build/overdue-arm64, `npm run build:binary -- --arch=arm64`) run under
// Debian's qemu-user-static: it starts, answers a ping, stores it, and fires a deadline alert to a
// real receiver. Skipped when the executable or qemu is missing, unless OVERDUE_REQUIRE_ARM64=1.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/temp.js';

const BINARY = fileURLToPath(new URL('../../build/overdue-arm64', import.meta.url));
const QEMU = ['qemu-aarch64-static', '-L', '/usr/aarch64-linux-gnu'];
const PING_KEY = 'arm64-smoke-ping-key-123';
const haveQemu = spawnSync(QEMU[0] ?? '', ['--version'], { stdio: 'ignore' }).status === 0;
const present = existsSync(BINARY) && haveQemu;
const required = process.env['OVERDUE_REQUIRE_ARM64'] === '1';

describe.runIf(required && !present)('overdue arm64 executable (required)', () => {
  it('exists, with qemu-aarch64-static to run it', () => {
    throw new Error(
      `OVERDUE_REQUIRE_ARM64=1 but ${existsSync(BINARY) ? 'qemu-aarch64-static is missing (apt-get install qemu-user-static g++-aarch64-linux-gnu)' : `${BINARY} is missing (npm run build:binary -- --arch=arm64)`}`,
    );
  });
});

describe.runIf(present)('overdue arm64 executable under qemu', () => {
  const dir = tempDir('overdue-arm64-');
  const receiver = new Receiver();
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child?.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    await receiver.close();
    dir.remove();
  });

  /** Starts `serve` under qemu and resolves with the URL of its `msg=listening` line. */
  async function serve(config: string): Promise<string> {
    const args = [...QEMU.slice(1), BINARY, 'serve', '--config', config];
    const cache = join(dir.path, 'cache');
    mkdirSync(cache);
    child = spawn(QEMU[0] ?? '', args, {
      cwd: dir.path,
      env: { PATH: '/usr/bin:/bin', HOME: dir.path, CACHE_DIRECTORY: cache },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    for await (const line of lines) {
      const url = /\bmsg=listening\b.*\burl=(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      if (url !== undefined) return url;
    }
    throw new Error(`serve exited with ${child.exitCode} before listening`);
  }

  it('answers a ping, stores it and alerts when the next one is overdue', async () => {
    await receiver.start();
    const config = join(dir.path, 'config.yaml');
    writeFileSync(
      config,
      `server:
  listen: 127.0.0.1:0
  data-dir: ./data
  ping-key: ${PING_KEY}
hooks:
  receiver:
    webhook: { url: "${receiver.url}/alert" }
monitors:
  job:
    every: 2s
    grace: 1s
    notify: [receiver]
`,
    );
    const url = await serve(config);
    const answer = await fetch(`${url}/ping/${PING_KEY}/job`);
    expect(answer.status).toBe(200);
    // The deadline is 3 s after the ping: the alert is the outcome waited for, not a sleep.
    await receiver.waitFor(1);
    expect(receiver.received[0]?.url).toBe('/alert');
    expect(receiver.received[0]?.body).toMatch(/down/i);
    child?.kill('SIGTERM');
    const [code] = (await once(child as ChildProcess, 'exit')) as [number | null];
    expect(code).toBe(0);
    const db = new Database(join(dir.path, 'data', 'overdue.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM pings').pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  }, 120_000);
});
