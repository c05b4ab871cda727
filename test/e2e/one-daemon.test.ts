// One daemon per data dir: a second `serve` on the same data-dir refuses to start and says who
// holds it; the lock dies with its process (no clean-up after kill -9); read-only commands work
// while the daemon runs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonProcess, runCli } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

const CONFIG = `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  ping-key: one-daemon-ping-key-0123
monitors:
  backup:
    every: 1h
`;

describe('one daemon per data dir', () => {
  let dir: ReturnType<typeof tempDir>;
  const daemons: DaemonProcess[] = [];
  afterEach(async () => {
    for (const d of daemons.splice(0)) {
      d.kill();
      await d.exited();
    }
    dir.remove();
  });

  const start = () => {
    const d = new DaemonProcess(file);
    daemons.push(d);
    return d;
  };
  let file = '';
  const setUp = () => {
    dir = tempDir();
    file = join(dir.path, 'config.yaml');
    writeFileSync(file, CONFIG);
  };

  it('refuses a second daemon on the same data dir, naming the lock and the process that holds it', async () => {
    setUp();
    const first = await start().started();
    const second = start();
    const outcome = await Promise.race([second.exited(), second.started().then(() => 'listening')]);
    expect(outcome).toBe(1);
    expect(second.output).toContain(`pid ${first.child.pid}`);
    expect(second.output).toContain(join(dir.path, 'data', 'overdue.lock'));
    expect(first.ended).toBe(false);
  });

  it('lets a new daemon start after the one holding the lock was killed with SIGKILL', async () => {
    setUp();
    const first = await start().started();
    first.kill('SIGKILL');
    await first.exited();
    const next = await start().started();
    expect(next.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('runs read-only commands while the daemon runs', async () => {
    setUp();
    await start().started();
    const r = runCli(['export', '--config', file]);
    expect(r.stderr).toMatch(/^read \S+overdue\.db\n$/);
    expect(r.status).toBe(0);
  });
});
