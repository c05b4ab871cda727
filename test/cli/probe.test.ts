// `overdue probe URL`: the health check of the image, which has no curl. A real server on
// 127.0.0.1 answers; the compiled CLI runs as a child process (spawned asynchronously, so the
// server in this process can answer it).
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAIN } from '../helpers/process.js';

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function probe(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, 'probe', ...args], (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('overdue probe', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    server?.close();
    if (server) await once(server, 'close');
    server = undefined;
  });

  /** A server on 127.0.0.1:0 that answers every request with `status`, or never when null. */
  const serve = async (status: number | null): Promise<string> => {
    server = createServer((_req, res) => {
      if (status !== null) res.writeHead(status).end('body');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
  };

  it('exits 0 when the URL answers 200', async () => {
    const r = await probe(await serve(200));
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 1 and names the status when the URL answers 503', async () => {
    const r = await probe(await serve(503));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/answered 503/);
  });

  it('exits 1 when nothing listens at the URL', async () => {
    const url = await serve(200);
    server?.close();
    await once(server as Server, 'close');
    server = undefined;
    const r = await probe(url);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/overdue probe: .*ECONNREFUSED/);
  });

  it('exits 1 when no answer comes within --timeout', async () => {
    const r = await probe('--timeout', '200ms', await serve(null));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no answer within 200ms/);
  });

  it('exits 2 on a URL that is not http or https', async () => {
    const r = await probe('ftp://127.0.0.1/');
    expect(r.code).toBe(2);
  });
});
