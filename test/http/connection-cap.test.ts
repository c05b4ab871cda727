// The connection cap: below the descriptor limit, and near it the oldest idle connections are
// closed first, never one with a request in flight. Real sockets on 127.0.0.1, a bounded count.
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionCap, connectionCap, descriptorLimit } from '../../src/http/connections.js';
import { tempDir } from '../helpers/temp.js';

describe('the connection cap', () => {
  it('stays below the descriptor limit, leaving some for the database and hooks', () => {
    const dir = tempDir();
    const file = join(dir.path, 'limits');
    writeFileSync(
      file,
      'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n',
    );
    expect(descriptorLimit(file)).toBe(1024);
    expect(descriptorLimit(join(dir.path, 'missing'))).toBeNull();
    dir.remove();
    expect(connectionCap(1024)).toBe(896);
    expect(connectionCap(null)).toBe(1000);
    expect(connectionCap(1_048_576)).toBe(10_000);
  });

  describe('near the cap', () => {
    let server: Server | undefined;
    const clients: Socket[] = [];
    const held: ServerResponse[] = [];
    afterEach(async () => {
      for (const c of clients.splice(0)) c.destroy();
      for (const r of held.splice(0)) r.end();
      server?.closeAllConnections();
      await new Promise((r) => server?.close(r));
      server = undefined;
    });

    const serve = async (max: number) => {
      server = createServer((req, res) => {
        if (req.url === '/hold') held.push(res);
        else res.end('ok');
      });
      const cap = new ConnectionCap(server, max);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      return { cap, port: (server.address() as AddressInfo).port };
    };
    /** A connection the server has accepted, and its `closed` promise. */
    const open = async (port: number, cap: ConnectionCap) => {
      const before = cap.open;
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      clients.push(socket);
      const closed = once(socket, 'close').then(() => true);
      while (cap.open === before) await new Promise((r) => setImmediate(r));
      return { socket, closed };
    };
    /** Sends a request on the connection and reads the status line of its answer. */
    const answer = async (socket: Socket, path = '/') => {
      const data = once(socket, 'data');
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      return /^HTTP\/1\.1 (\d+)/.exec(String((await data)[0]))?.[1];
    };

    it('closes the oldest idle connections first, and answers a fresh request', async () => {
      const { cap, port } = await serve(32);
      const idle = [];
      for (let i = 0; i < 40; i++) idle.push(await open(port, cap));
      expect(cap.open).toBeLessThan(32);
      // The first ones went; the last ones are still open.
      expect(await idle[0]?.closed).toBe(true);
      expect(await answer(idle[39]!.socket)).toBe('200');
      const status = await new Promise<number | undefined>((resolve) =>
        request({ port, host: '127.0.0.1', agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode);
        }).end(),
      );
      expect(status).toBe(200);
    });

    it('never closes a connection with a request in flight', async () => {
      const { cap, port } = await serve(32);
      const busy = await open(port, cap);
      void answer(busy.socket, '/hold');
      while (held.length === 0) await new Promise((r) => setImmediate(r));
      const idle = [];
      for (let i = 0; i < 60; i++) idle.push(await open(port, cap));
      expect(await idle[0]?.closed).toBe(true);
      const done = once(busy.socket, 'data');
      held[0]?.end('done');
      expect(String((await done)[0])).toMatch(/^HTTP\/1\.1 200/);
    });
  });
});
