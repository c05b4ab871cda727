// Clients that trickle bytes are cut off by the real header and request timeouts (10 s and 30 s),
// over raw sockets, against a daemon on a real port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { configYaml } from '../helpers/config-yaml.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { raw } from '../helpers/raw-http.js';
import { tempDir } from '../helpers/temp.js';

const TOKEN = 'slow-client-token-0123456789';

describe('a client that trickles bytes', () => {
  const dir = tempDir();
  let daemon: Daemon;
  let port: number;
  beforeAll(async () => {
    const yaml = configYaml({ monitors: { job: { every: '1h', token: TOKEN } } });
    daemon = await startDaemon(configFrom(dir.path, yaml));
    port = Number(new URL(daemon.url).port);
  });
  afterAll(async () => {
    await daemon.close();
    dir.remove();
  });

  const healthy = async () => (await fetch(`${daemon.url}/healthz`)).status;

  it('cuts off clients that trickle their headers or their body, by the real timeouts', async () => {
    // One byte every 200 ms: headers would take ~16 s to arrive, the body ~200 s.
    const head = `POST /ping/${TOKEN} HTTP/1.1\r\nHost: x\r\nX-Slow: ${'z'.repeat(40)}\r\n`;
    const headerBytes = [...head].map((c) => c);
    const fullHead = `POST /ping/${TOKEN} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n`;
    const bodyBytes = [fullHead, ...Array.from({ length: 1000 }, () => 'b')];
    const [slowHeaders, slowBody] = await Promise.all([
      raw(port, headerBytes, 200),
      raw(port, bodyBytes, 200),
    ]);
    console.log(
      `trickled headers cut after ${(slowHeaders.closedAfterMs / 1000).toFixed(1)} s (${slowHeaders.status}), body after ${(slowBody.closedAfterMs / 1000).toFixed(1)} s (${slowBody.status})`,
    );
    // headersTimeout 10 s and requestTimeout 30 s, checked every second.
    expect(slowHeaders.status).toBe(408);
    expect(slowHeaders.closedAfterMs).toBeGreaterThanOrEqual(10_000);
    expect(slowHeaders.closedAfterMs).toBeLessThan(13_000);
    expect(slowBody.status === 408 || slowBody.status === null).toBe(true);
    expect(slowBody.closedAfterMs).toBeGreaterThanOrEqual(30_000);
    expect(slowBody.closedAfterMs).toBeLessThan(33_000);
    expect(await healthy()).toBe(200);
  }, 60_000);
});
