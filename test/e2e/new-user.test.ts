// Tried as a new user would: a monitor every 2 s with 1 s grace and a command hook. The hook must
// run within a few milliseconds of the exact deadline (last ping + 3 s). This uses the real clock,
// because it checks the real timer path; the bound is loose enough for a busy CI machine and still
// fails for any polling design (Healthchecks' 2 s loop, Uptime Kuma's 1 s buffer).
import { statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_PING_KEY, writeConfigYaml } from '../helpers/config-yaml.js';
import { DaemonProcess } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

describe('a new user', () => {
  const dir = tempDir();
  let daemon: DaemonProcess | undefined;
  afterAll(async () => {
    daemon?.kill();
    await daemon?.exited();
    dir.remove();
  });

  it('sees the command hook run within a few milliseconds of the exact deadline', async () => {
    const stamp = join(dir.path, 'alerted-at');
    const file = writeConfigYaml(dir.path, {
      hooks: { stamp: { command: ['touch', stamp] } },
      monitors: { heartbeat: { every: '2s', grace: '1s', notify: ['stamp'] } },
    });
    daemon = await new DaemonProcess(file).started();
    expect((await fetch(`${daemon.url}/ping/${TEST_PING_KEY}/heartbeat`)).status).toBe(200);
    // The dispatcher logs each delivery after the command exits: wait for that line, not for time.
    while (!daemon.output.includes('msg="alert delivered"'))
      await once(daemon.child.stdout, 'data');
    const db = new Database(join(dir.path, 'data', 'overdue.db'), { readonly: true });
    const { at } = db.prepare('SELECT at FROM pings ORDER BY id DESC LIMIT 1').get() as {
      at: number;
    };
    db.close();
    // The hook touches a file: its mtime is when the hook ran, to the microsecond.
    const lateMs = Math.round((statSync(stamp).mtimeMs - (at + 3_000)) * 10) / 10;
    console.log(`command hook ran ${lateMs} ms after the exact deadline`);
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThan(100);
  });
});
