import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const KEY = 'trust-proxy-ping-key-01';

describe('behind a trusted reverse proxy', () => {
  const dir = tempDir();
  let daemon: Daemon;
  beforeAll(async () => {
    const yaml = `server:\n  listen: 127.0.0.1:0\n  ping-key: ${KEY}\n  trust-proxy: true\nmonitors:\n  job:\n    every: 1h\n`;
    daemon = await startDaemon(configFrom(dir.path, yaml));
  });
  afterAll(async () => {
    await daemon.close();
    dir.remove();
  });

  const remoteAfter = async (headers: Record<string, string>) => {
    await fetch(`${daemon.url}/ping/${KEY}/job`, { headers });
    const row = daemon.store.db
      .prepare('SELECT remote_addr FROM pings ORDER BY id DESC LIMIT 1')
      .get() as { remote_addr: string };
    return row.remote_addr;
  };

  it('takes the address the proxy appended, the last X-Forwarded-For entry', async () => {
    expect(await remoteAfter({ 'x-forwarded-for': '198.51.100.7, 203.0.113.9' })).toBe(
      '203.0.113.9',
    );
  });

  it('falls back to the socket address without the header', async () => {
    expect(await remoteAfter({})).toBe('127.0.0.1');
  });
});
