// A 200 means the ping is on disk: kill -9 the daemon right after an acknowledgement and look.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DaemonProcess } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

const KEY = 'durability-ping-key-0123';

describe('durability', () => {
  const dir = tempDir();
  let daemon: DaemonProcess | undefined;
  afterEach(async () => {
    daemon?.kill();
    await daemon?.exited();
  });
  afterAll(() => dir.remove());

  it.each([1, 2, 3])(
    'keeps every acknowledged ping when killed with SIGKILL under load (trial %i)',
    async (trial) => {
      const file = join(dir.path, `config-${trial}.yaml`);
      writeFileSync(
        file,
        `server:\n  listen: 127.0.0.1:0\n  data-dir: ./data-${trial}\n  ping-key: ${KEY}\nmonitors:\n  job:\n    every: 1h\n`,
      );
      daemon = await new DaemonProcess(file).started();
      const url = `${daemon.url}/ping/${KEY}/job`;
      const acknowledged: string[] = [];
      let killed = false;
      const killAfter = 150 + trial * 37;
      // 16 clients send pings with unique bodies until the daemon dies; it dies right after the
      // killAfter-th acknowledgement.
      const client = async (c: number) => {
        for (let i = 0; !killed; i++) {
          const body = `client-${c}-ping-${i}`;
          try {
            const res = await fetch(url, { method: 'POST', body });
            if (res.status === 200) acknowledged.push(body);
          } catch {
            return;
          }
          if (acknowledged.length >= killAfter && !killed) {
            killed = true;
            daemon?.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: 16 }, (_, c) => client(c)));
      expect(await daemon.exited()).toBe('SIGKILL');
      const db = new Database(join(dir.path, `data-${trial}`, 'overdue.db'), { readonly: true });
      const stored = new Set(
        (db.prepare('SELECT body FROM pings').all() as { body: Buffer }[]).map((r) =>
          r.body.toString(),
        ),
      );
      db.close();
      const missing = acknowledged.filter((b) => !stored.has(b));
      expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);
      expect(missing).toEqual([]);
    },
  );
});
