// Faults of the storage under a running daemon: the disk fills up, another process holds the
// database lock, the files become unwritable. Pings get a clear 503, the log names the cause once,
// and the daemon recovers by itself when the fault clears, without a restart and without losing
// an acknowledged ping. Real filesystems (tmpfs, loop-mounted ext4), so this needs root.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  cannotMount,
  ext4ErrorTrigger,
  mountExt4,
  mountTmpfs,
  triggerExt4Error,
  type Mounted,
} from '../helpers/mounts.js';
import { TEST_PING_KEY as KEY, writeConfigYaml } from '../helpers/config-yaml.js';
import { DaemonProcess } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';
import { writeFigures } from '../helpers/trials.js';

const whyNot = cannotMount();
if (whyNot !== null) console.log(`store faults: mount-based trials skipped: ${whyNot}`);

describe('store faults', () => {
  const dir = tempDir();
  const figures: Record<string, object> = {};
  let daemon: DaemonProcess | undefined;
  let mounted: Mounted | undefined;
  afterEach(async () => {
    daemon?.kill();
    await daemon?.exited();
    daemon = undefined;
    mounted?.unmount();
    mounted = undefined;
  });
  afterAll(() => {
    for (const [fault, f] of Object.entries(figures))
      console.log(`store fault "${fault}": ${JSON.stringify(f)}`);
    writeFigures('store-faults', figures);
    dir.remove();
  });

  /** Sends pings with unique bodies, remembering the acknowledged ones. */
  class Pinger {
    readonly acknowledged: string[] = [];
    #n = 0;
    constructor(
      readonly url: string,
      readonly bodyBytes = 16,
    ) {}
    async ping(): Promise<{ status: number; text: string }> {
      const body = `ping-${++this.#n}-`.padEnd(this.bodyBytes, 'x');
      const res = await fetch(`${this.url}/ping/${KEY}/job`, { method: 'POST', body });
      const text = await res.text();
      if (res.status === 200) this.acknowledged.push(body);
      return { status: res.status, text };
    }
    /** Pings until one is answered `status`; returns how long that took. */
    async until(status: number, limit = 20_000): Promise<{ ms: number; text: string }> {
      const startedAt = performance.now();
      for (let i = 0; i < limit; i++) {
        const r = await this.ping();
        if (r.status === status)
          return { ms: Math.round(performance.now() - startedAt), text: r.text };
      }
      throw new Error(`no ${status} after ${limit} pings`);
    }
  }

  async function start(dataDir: string): Promise<{ daemon: DaemonProcess; pinger: Pinger }> {
    const file = writeConfigYaml(dir.path, {
      server: { 'data-dir': dataDir, 'keep-pings': 1_000_000 },
      monitors: { job: { every: '1h' } },
    });
    daemon = await new DaemonProcess(file).started();
    return { daemon, pinger: new Pinger(daemon.url, 4_000) };
  }

  /** Stops the daemon and lists the acknowledged pings not in its database. */
  async function missingAfterStop(d: DaemonProcess, dataDir: string, pinger: Pinger) {
    d.kill('SIGTERM');
    await d.exited();
    const db = new Database(join(dataDir, 'overdue.db'), { readonly: true });
    const rows = db.prepare('SELECT body FROM pings WHERE body IS NOT NULL').all() as {
      body: Buffer;
    }[];
    db.close();
    const stored = new Set(rows.map((r) => r.body.toString()));
    return pinger.acknowledged.filter((b) => !stored.has(b));
  }

  const faultLines = (d: DaemonProcess, from: number) =>
    d.output
      .slice(from)
      .split('\n')
      .filter((l) => l.includes('msg="cannot store pings')).length;

  const healthz = async (d: DaemonProcess) => (await fetch(`${d.url}/healthz`)).status;

  it.skipIf(whyNot !== null)(
    'answers 503 while the disk is full, names the cause, and takes pings again once there is room',
    async () => {
      mounted = mountTmpfs(dir.path, 8 * 1024 * 1024);
      const dataDir = join(mounted.path, 'data');
      const { daemon: d, pinger } = await start(dataDir);
      expect((await pinger.ping()).status).toBe(200);
      // Eight clients keep pinging through the whole fault.
      const load = background(pinger, 8);
      const filler = join(mounted.path, 'filler');
      fill(filler);
      const logFrom = d.output.length;
      const full = await pinger.until(503);
      expect(full.text).toMatch(/cannot store the ping/);
      // While the disk is full a ping may still fit where the WAL already has room (its file is
      // reused from the start once checkpointed): then it is stored, and answered 200. Every
      // answer is one or the other, and every 200 is checked on disk at the end.
      for (let i = 0; i < 5; i++) expect([200, 503]).toContain((await pinger.ping()).status);
      await d.waitFor(/msg="cannot store pings; answering 503.*cause="disk full"/, logFrom);
      // One line for the fault, not one per refused ping.
      expect(faultLines(d, logFrom)).toBeLessThanOrEqual(3);
      // /healthz makes a real write, so it sees the full disk too.
      const healthDuringFault = await healthz(d);
      expect(healthDuringFault).toBe(503);

      rmSync(filler);
      const recovered = await pinger.until(200);
      for (let i = 0; i < 20; i++) expect((await pinger.ping()).status).toBe(200);
      await d.waitFor(/msg="storage recovered; pings are stored again" cause="disk full"/, logFrom);
      expect(await healthz(d)).toBe(200);
      await load.stop();
      expect(load.counts.other).toBe(0);
      const missing = await missingAfterStop(d, dataDir, pinger);
      figures['disk full'] = {
        acknowledged: pinger.acknowledged.length,
        refused: load.counts.refused,
        missing: missing.length,
        recoveryMs: recovered.ms,
        faultLogLines: faultLines(d, logFrom),
        healthzDuringFault: healthDuringFault,
      };
      expect(missing).toEqual([]);
    },
  );

  it('answers 503 quickly while another process holds the write lock, and recovers when it lets go', async () => {
    const dataDir = join(dir.path, 'locked');
    const { daemon: d, pinger } = await start(dataDir);
    expect((await pinger.ping()).status).toBe(200);
    const holder = await holdWriteLock(join(dataDir, 'overdue.db'));
    const logFrom = d.output.length;
    const sentAt = performance.now();
    expect((await pinger.ping()).status).toBe(503);
    const answeredMs = Math.round(performance.now() - sentAt);
    await d.waitFor(/cause="database locked by another process"/, logFrom);

    holder.stdin.end();
    await once(holder, 'exit');
    const recovered = await pinger.until(200);
    await d.waitFor(/msg="storage recovered/, logFrom);
    const missing = await missingAfterStop(d, dataDir, pinger);
    figures['locked'] = {
      acknowledged: pinger.acknowledged.length,
      missing: missing.length,
      answered503InMs: answeredMs,
      recoveryMs: recovered.ms,
    };
    expect(answeredMs).toBeLessThan(2_000);
    expect(missing).toEqual([]);
  });

  it.skipIf(whyNot !== null)(
    'answers 503 while its files cannot be written (immutable, even to root), and recovers when they can',
    async () => {
      mounted = mountExt4(dir.path, 32);
      const dataDir = join(mounted.path, 'data');
      const { daemon: d, pinger } = await start(dataDir);
      expect((await pinger.ping()).status).toBe(200);
      const files = [join(dataDir, 'overdue.db'), join(dataDir, 'overdue.db-wal')];
      execFileSync('chattr', ['+i', ...files]);
      const logFrom = d.output.length;
      expect((await pinger.ping()).status).toBe(503);
      await d.waitFor(/cause="disk I\/O error"/, logFrom);
      execFileSync('chattr', ['-i', ...files]);
      const recovered = await pinger.until(200);
      await d.waitFor(/msg="storage recovered/, logFrom);
      const missing = await missingAfterStop(d, dataDir, pinger);
      figures['immutable files'] = {
        acknowledged: pinger.acknowledged.length,
        missing: missing.length,
        recoveryMs: recovered.ms,
      };
      expect(missing).toEqual([]);
    },
  );

  it.skipIf(whyNot !== null)(
    'answers 503 once its filesystem has gone read-only after an error, keeping what it acknowledged',
    async (ctx) => {
      mounted = mountExt4(dir.path, 32);
      if (!existsSync(ext4ErrorTrigger(mounted.device)))
        return ctx.skip(`this kernel has no ${ext4ErrorTrigger(mounted.device)}`);
      const dataDir = join(mounted.path, 'data');
      const { daemon: d, pinger } = await start(dataDir);
      for (let i = 0; i < 10; i++) expect((await pinger.ping()).status).toBe(200);
      triggerExt4Error(mounted.device);
      const logFrom = d.output.length;
      expect((await pinger.ping()).status).toBe(503);
      await d.waitFor(/cause="disk I\/O error"/, logFrom);
      expect(d.ended).toBe(false);
      // ext4 refuses a remount read-write after an error until it is unmounted (and checked): the
      // fault does not clear while the daemon runs. What it acknowledged before is on disk.
      d.kill('SIGTERM');
      await d.exited();
      // Read from a copy: SQLite cannot open a WAL database on a read-only filesystem to recover.
      const copy = join(dir.path, 'copy');
      mkdirSync(copy);
      for (const f of ['overdue.db', 'overdue.db-wal'])
        if (existsSync(join(dataDir, f))) copyFileSync(join(dataDir, f), join(copy, f));
      const missing = await missingAfterStop(d, copy, pinger);
      figures['read-only after an ext4 error'] = {
        acknowledged: pinger.acknowledged.length,
        missing: missing.length,
        recovers: 'after an unmount, e2fsck and a restart',
      };
      expect(missing).toEqual([]);
    },
  );

  it.skipIf(whyNot !== null)(
    'refuses to start on a read-only filesystem, saying so and what to do',
    async () => {
      mounted = mountTmpfs(dir.path, 8 * 1024 * 1024);
      const dataDir = join(mounted.path, 'data');
      const { daemon: d, pinger } = await start(dataDir);
      expect((await pinger.ping()).status).toBe(200);
      d.kill('SIGTERM');
      expect(await d.exited()).toBe(0);
      // No file is open for writing any more, so the kernel allows the remount.
      execFileSync('mount', ['-o', 'remount,ro', mounted.path]);
      const refused = new DaemonProcess(join(dir.path, 'config.yaml'));
      daemon = refused;
      expect(await refused.exited()).toBe(1);
      expect(refused.output).toMatch(
        /level=error msg="cannot open the database in \S+: data-dir is on a read-only filesystem" fix="put data-dir on a writable filesystem/,
      );
      expect(refused.output).not.toMatch(/\n\s+at /); // no stack trace
    },
  );
});

/** `clients` concurrent loops of pings until stopped, counting the answers by status. */
function background(pinger: { ping(): Promise<{ status: number }> }, clients: number) {
  let stopped = false;
  const counts = { ok: 0, refused: 0, other: 0 };
  const loops = Array.from({ length: clients }, async () => {
    while (!stopped) {
      const { status } = await pinger.ping();
      if (status === 200) counts.ok++;
      else if (status === 503) counts.refused++;
      else counts.other++;
    }
  });
  return {
    counts,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/** Writes to `file` until the filesystem has no room left. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

/** Another process that takes the database's write lock and holds it until its stdin closes. */
async function holdWriteLock(file: string) {
  const script = `
    const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
    const db = new Database(${JSON.stringify(file)});
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    process.stdin.resume();
    process.stdin.on('end', () => { db.exec('ROLLBACK'); db.close(); });
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  await once(child.stdout, 'data');
  return child;
}
