// The database deleted or replaced under a running daemon is noticed: pings are refused with 503
// (never acknowledged into a file nobody will read again) and /healthz says why. A database whose
// pages are corrupt is refused at start with the file and the way to recover it, not a stack.
import { rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { DATABASE_FILE } from '../../src/store/store.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { DaemonProcess } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

const TOKEN = 'replaced-token-0123456789';
const YAML = `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
monitors:
  backup:
    every: 1h
    token: ${TOKEN}
`;

describe('the database deleted under a running daemon', () => {
  let dir: ReturnType<typeof tempDir>;
  let daemon: Daemon;
  beforeEach(async () => {
    dir = tempDir();
    daemon = await startDaemon(configFrom(dir.path, YAML));
  });
  afterEach(async () => {
    await daemon.close();
    dir.remove();
  });
  const ping = () => fetch(`${daemon.url}/ping/${TOKEN}`);
  const data = (name: string) => join(dir.path, 'data', name);

  for (const file of [DATABASE_FILE, `${DATABASE_FILE}-wal`]) {
    it(`refuses pings with 503 and fails /healthz once ${file} is deleted`, async () => {
      expect((await ping()).status).toBe(200);
      rmSync(data(file));
      expect((await ping()).status).toBe(503);
      const health = await fetch(`${daemon.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.text()).toContain('deleted or replaced');
    });
  }

  it('fails /healthz once the database file is replaced by another, even with no ping', async () => {
    rmSync(data(DATABASE_FILE));
    writeFileSync(data(DATABASE_FILE), '');
    const health = await fetch(`${daemon.url}/healthz`);
    expect(health.status).toBe(503);
  });
});

describe('a corrupt database at start', () => {
  const dir = tempDir();
  let daemon: DaemonProcess | undefined;
  afterEach(async () => {
    daemon?.kill();
    await daemon?.exited();
    dir.remove();
  });

  it('is refused with the file and how to recover it, not a stack trace', async () => {
    const file = join(dir.path, 'config.yaml');
    writeFileSync(file, YAML);
    const first = await new DaemonProcess(file).started();
    first.kill('SIGTERM');
    await first.exited();
    // Garbage over the second page and beyond: the header still says SQLite, the pages do not.
    const fd = openSync(join(dir.path, 'data', DATABASE_FILE), 'r+');
    writeSync(fd, Buffer.alloc(16_384, 0xa5), 0, 16_384, 4_096);
    closeSync(fd);
    daemon = new DaemonProcess(file);
    expect(await daemon.exited()).toBe(1);
    expect(daemon.output).toContain('.recover');
    expect(daemon.output).toContain(join(dir.path, 'data', DATABASE_FILE));
    expect(daemon.output).not.toMatch(/\n\s+at /);
  });
});
