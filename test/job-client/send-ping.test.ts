import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PING_POLICY, sendPing } from '../../src/job-client/send-ping.js';
import { closedPortUrl, PingServer, TestIO } from './helpers.js';

describe('sendPing', () => {
  let server: PingServer;
  let io: TestIO;
  beforeEach(async () => {
    server = await new PingServer().start();
    io = new TestIO();
  });
  afterEach(() => server.close());

  it('returns the body limit the server announces', async () => {
    server.bodyLimit = 123;
    expect(await sendPing(io, new URL(`${server.url}/ping/x`), null)).toEqual({
      ok: true,
      bodyLimit: 123,
    });
  });

  it('retries a 5xx answer with doubling waits until it is stored', async () => {
    let calls = 0;
    server.answer = () => (++calls < 3 ? 503 : 200);
    const result = await sendPing(io, new URL(`${server.url}/ping/x`), Buffer.from('out'));
    expect(result.ok).toBe(true);
    expect(io.sleeps).toEqual([500, 1000]);
    expect(server.pings[0]?.body.toString()).toBe('out');
  });

  it('tells once, before any retry, that its first try has an outcome', async () => {
    let calls = 0;
    server.answer = () => (++calls < 3 ? 503 : 200);
    const sleepsAtFirstTry: number[][] = [];
    const firstTried = () => sleepsAtFirstTry.push([...io.sleeps]);
    const result = await sendPing(io, new URL(`${server.url}/ping/x`), null, PING_POLICY, {
      firstTried,
    });
    expect(result.ok).toBe(true);
    expect(sleepsAtFirstTry).toEqual([[]]);
  });

  it('does not retry a 4xx answer', async () => {
    server.answer = () => 404;
    const result = await sendPing(io, new URL(`${server.url}/ping/x`), null);
    expect(result).toEqual({ ok: false, error: 'HTTP 404 not found' });
    expect(io.sleeps).toEqual([]);
  });

  it('gives up on an unreachable server after 5 tries and 7.5 s of waits', async () => {
    const result = await sendPing(io, new URL(`${await closedPortUrl()}/ping/x`), null);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/ECONNREFUSED.*\(5 tries\)$/);
    expect(io.sleeps).toEqual([500, 1000, 2000, 4000]);
  });

  it('spends at most its 10 s budget on a server that never answers', async () => {
    // Each request uses up its whole timeout on the fake clock, then times out.
    const timeout = vi.spyOn(AbortSignal, 'timeout');
    const hanging = {
      now: io.now,
      sleep: io.sleep,
      fetch: () => {
        io.elapsedMs += timeout.mock.calls.at(-1)?.[0] ?? 0;
        return Promise.reject(new DOMException('timed out', 'TimeoutError'));
      },
    };
    try {
      const result = await sendPing(hanging, new URL('http://127.0.0.1:9/ping/x'), null);
      expect(result).toEqual({ ok: false, error: 'no answer within 500 ms (4 tries)' });
      // The last request gets only what is left of the budget.
      expect(timeout.mock.calls.map((c) => c[0])).toEqual([2000, 2000, 2000, 500]);
      expect(io.sleeps).toEqual([500, 1000, 2000]);
      expect(io.elapsedMs).toBe(PING_POLICY.budgetMs);
    } finally {
      timeout.mockRestore();
    }
  });

  it('times out a request the server never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = new URL(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/ping/x`);
    const policy = { tries: 2, timeoutMs: 50, backoffMs: 10, budgetMs: 1000 };
    const result = await sendPing(io, url, null, policy);
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    expect(result).toEqual({ ok: false, error: 'no answer within 50 ms (2 tries)' });
  });

  it('stops retrying once told to stop', async () => {
    const stop = new AbortController();
    stop.abort();
    const result = await sendPing(
      io,
      new URL(`${await closedPortUrl()}/ping/x`),
      null,
      PING_POLICY,
      { stop: stop.signal },
    );
    expect(result.ok).toBe(false);
    expect(io.sleeps).toEqual([]);
  });
});
