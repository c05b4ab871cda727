import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly at: number;
  /** The client's port: the same for requests sent over one kept-alive connection. */
  readonly remotePort: number | undefined;
}

/** A real HTTP receiver for webhooks on 127.0.0.1:0, that can be told to fail or hang. */
export class Receiver {
  readonly received: Received[] = [];
  /** Status to answer with; 'hang' never answers. */
  mode: number | 'hang' = 200;
  /** Headers and body of the answer (Retry-After, a service's error JSON). */
  answerHeaders: Record<string, string> = {};
  answerBody = '';
  readonly #server: Server;
  readonly #waiters: { count: number; resolve: () => void }[] = [];
  url = '';
  port = 0;

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.mode === 'hang') return;
        this.received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
          remotePort: req.socket.remotePort,
        });
        res.writeHead(this.mode, this.answerHeaders).end(this.answerBody);
        this.#notify();
      });
    });
  }

  /** Listens on `port` (0: a free one), e.g. the port of a receiver that went away. */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(port, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  /** Resolves once `count` requests have been received in all. */
  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  #notify(): void {
    for (const w of [...this.#waiters]) {
      if (this.received.length >= w.count) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
