// A client that writes its request and closes its side at once (`printf ... | nc`) still gets its
// answer, although a ping is answered only after its fsync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { raw } from '../helpers/raw-http.js';
import { tempDir } from '../helpers/temp.js';

const TOKEN = 'half-close-token-0123456789';

describe('a half-closed connection', () => {
  const dir = tempDir();
  let daemon: Daemon;
  beforeAll(async () => {
    const yaml = `server:\n  listen: 127.0.0.1:0\nmonitors:\n  job:\n    every: 1h\n    token: ${TOKEN}\n`;
    daemon = await startDaemon(configFrom(dir.path, yaml));
  });
  afterAll(async () => {
    await daemon.close();
    dir.remove();
  });

  it.each([
    ['GET', ''],
    ['POST', 'job output'],
  ])('gets the 200 of a %s ping it sent before closing its side', async (method, body) => {
    const request = Buffer.from(
      `${method} /ping/${TOKEN} HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
    const { status } = await raw(Number(new URL(daemon.url).port), [request]);
    expect(status).toBe(200);
  });
});
