// The HTTP client of webhook and preset hooks: kept-alive connections, and redirects followed the
// way fetch follows them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange } from '../../../src/hooks/transport/http-exchange.js';
import { sendHttp } from '../../../src/hooks/transport/http-send.js';
import { Receiver } from '../../helpers/receiver.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A server whose answer a test chooses, on 127.0.0.1:0; it records what it was sent. */
async function serve(handler: Handler): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

const post = (url: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  url,
  headers: { 'content-type': 'application/json', ...headers },
  body: '{"event":"down"}',
});

describe('HTTP exchange of hooks', () => {
  let receiver: Receiver;
  beforeAll(async () => (receiver = await new Receiver().start()));
  afterAll(() => receiver.close());

  it('sends many alerts to one receiver over one kept-alive connection', async () => {
    receiver.received.length = 0;
    for (let i = 0; i < 5; i++) {
      const result = await sendHttp(post(`${receiver.url}/a`), { timeoutMs: 2_000, secrets: [] });
      expect(result.ok).toBe(true);
    }
    const ports = new Set(receiver.received.map((r) => r.remotePort));
    expect(receiver.received).toHaveLength(5);
    expect(ports.size).toBe(1);
  });

  it('follows a 307 with the same method, body and credentials on the same origin', async () => {
    const target = await serve((req, _body, res) => {
      if (req.url === '/old') res.writeHead(307, { location: '/new' }).end();
      else res.writeHead(200).end('ok');
    });
    try {
      const answer = await exchange(
        post(`${target.url}/old`, { Authorization: 'Bearer t' }),
        2_000,
      );
      expect(answer.status).toBe(200);
      expect(target.seen.map((s) => [s.method, s.url, s.body, s.headers.authorization])).toEqual([
        ['POST', '/old', '{"event":"down"}', 'Bearer t'],
        ['POST', '/new', '{"event":"down"}', 'Bearer t'],
      ]);
    } finally {
      await close(target.server);
    }
  });

  it('turns a POST into a GET on a 303, without the body and its content type', async () => {
    const target = await serve((req, _body, res) => {
      if (req.url === '/post') res.writeHead(303, { location: '/landed' }).end();
      else res.writeHead(200).end();
    });
    try {
      const answer = await exchange(
        post(`${target.url}/post`, { Authorization: 'Bearer t' }),
        2_000,
      );
      expect(answer.status).toBe(200);
      const landed = target.seen[1];
      expect(landed).toMatchObject({ method: 'GET', url: '/landed', body: '' });
      expect(landed?.headers['content-type']).toBeUndefined();
      expect(landed?.headers.authorization).toBe('Bearer t');
    } finally {
      await close(target.server);
    }
  });

  it('does not follow a redirect to another site, where the hook’s credentials would go', async () => {
    const other = await serve((_req, _body, res) => res.writeHead(200).end());
    const first = await serve((_req, _body, res) =>
      res.writeHead(307, { location: `${other.url}/elsewhere` }).end(),
    );
    try {
      const result = await sendHttp(post(`${first.url}/`, { 'X-Api-Key': 'k' }), {
        timeoutMs: 2_000,
        secrets: [],
      });
      expect(result).toMatchObject({ ok: false, permanent: false });
      expect(result.error).toBe(
        `HTTP 307 to another site (${other.url}), not followed: put that URL in the hook`,
      );
      expect(other.seen).toEqual([]);
    } finally {
      await close(first.server);
      await close(other.server);
    }
  });

  it('closes a 2xx answer whose body never ends once the timeout has passed', async () => {
    let closed: () => void = () => undefined;
    const socketClosed = new Promise<void>((resolve) => (closed = resolve));
    const endless = await serve((req, _body, res) => {
      req.socket.once('close', () => closed());
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('still going');
    });
    try {
      const answer = await exchange(post(`${endless.url}/`), 300);
      expect(answer.status).toBe(200);
      await socketClosed; // by the exchange's timeout, 300 ms after the request
    } finally {
      await close(endless.server);
    }
  });

  it('keeps the status of an error answer whose body is still arriving at the timeout', async () => {
    const slow = await serve((_req, _body, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.write('chat not found');
    });
    try {
      const result = await sendHttp(post(`${slow.url}/`), { timeoutMs: 300, secrets: [] });
      expect(result).toMatchObject({
        ok: false,
        permanent: true,
        statusCode: 400,
        error: 'HTTP 400: chat not found',
      });
    } finally {
      await close(slow.server);
    }
  });

  it('gives up on a redirect loop as a transient failure', async () => {
    const loop = await serve((_req, _body, res) => res.writeHead(302, { location: '/' }).end());
    try {
      const result = await sendHttp(post(`${loop.url}/`), { timeoutMs: 2_000, secrets: [] });
      expect(result).toMatchObject({ ok: false, permanent: false, error: 'too many redirects' });
    } finally {
      await close(loop.server);
    }
  });

  it('fails a redirect to a location that is not a URL, without throwing', async () => {
    const broken = await serve((_req, _body, res) =>
      res.writeHead(302, { location: 'http://[not-an-address/' }).end(),
    );
    try {
      const result = await sendHttp(post(`${broken.url}/`), { timeoutMs: 2_000, secrets: [] });
      expect(result).toMatchObject({
        ok: false,
        permanent: false,
        error: 'HTTP 302 to an invalid location',
      });
    } finally {
      await close(broken.server);
    }
  });

  it('reads only the start of a long error answer', async () => {
    const big = await serve((_req, _body, res) =>
      res.writeHead(500, { 'content-type': 'text/plain' }).end('x'.repeat(1_000_000)),
    );
    try {
      const answer = await exchange(post(`${big.url}/`), 2_000);
      expect(answer.status).toBe(500);
      expect(answer.body.length).toBe(16_384);
    } finally {
      await close(big.server);
    }
  });

  it('refuses a URL scheme other than http and https without sending anything', async () => {
    const result = await sendHttp(post('ftp://127.0.0.1/x'), { timeoutMs: 2_000, secrets: [] });
    expect(result).toMatchObject({ ok: false, error: 'unsupported URL scheme ftp:' });
  });
});
