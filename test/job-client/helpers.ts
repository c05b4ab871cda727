// Test doubles for the client commands: a ping server on 127.0.0.1:0 that records what arrives,
// and a ClientIO with collected output, a fake clock and signals sent by hand.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import type { ClientIO, ForwardedSignal } from '../../src/job-client/client-io.js';

export interface RecordedPing {
  readonly method: string;
  /** The path, without the query. */
  readonly path: string;
  readonly rid: string | null;
  readonly body: Buffer;
  readonly userAgent: string | undefined;
  /** Wall-clock ms (Date.now(), like the daemon's ping time) when the ping counted as received. */
  readonly receivedAt: number;
}

/** Answers every ping 200 OK with a Ping-Body-Limit header, unless `answer` says otherwise. */
export class PingServer {
  readonly pings: RecordedPing[] = [];
  bodyLimit = 10_000;
  answer: (ping: RecordedPing) => number = () => 200;
  /**
   * Resolves when a start ping counts as received (and is answered): a slow first request (a
   * cold client, a TLS handshake, a far server) or a silent server, simulated on loopback.
   */
  startArrives: () => Promise<void> = () => Promise.resolve();
  url = '';
  readonly #server: Server;
  readonly #waiters: (() => void)[] = [];

  constructor() {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        if (!path.endsWith('/start')) return this.#receive(req, body, res);
        void this.startArrives().then(() => this.#receive(req, body, res));
      });
    });
  }

  #receive(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const ping = {
      method: req.method ?? '',
      path: url.pathname,
      rid: url.searchParams.get('rid'),
      body,
      userAgent: req.headers['user-agent'],
      receivedAt: Date.now(),
    };
    const status = this.answer(ping);
    if (status === 200) this.pings.push(ping);
    res.writeHead(status, { 'ping-body-limit': String(this.bodyLimit) });
    res.end(status === 200 ? 'OK' : 'not found');
    for (const wake of this.#waiters.splice(0)) wake();
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** Resolves once `count` pings have been stored. */
  async waitFor(count: number): Promise<void> {
    while (this.pings.length < count) await new Promise<void>((r) => this.#waiters.push(r));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** A URL on which nothing listens: a port that was free a moment ago. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk);
    this.onWrite();
    done();
  }
  onWrite: () => void = () => undefined;
  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * ClientIO for in-process tests. Sleeps resolve at once and move the fake clock on, so retries
 * cost no real time, unless `holdSleeps` is given: then they wait for that promise.
 */
export class TestIO implements ClientIO {
  readonly stdout = new Collector();
  readonly stderr = new Collector();
  readonly interactive = false;
  readonly fetch: typeof fetch = (input, init) => fetch(input, init);
  readonly sleeps: number[] = [];
  elapsedMs = 0;
  holdSleeps: Promise<void> | null = null;
  stdinText = '';
  readonly #handlers = new Set<(signal: ForwardedSignal) => void>();
  readonly #sleepWaiters: (() => void)[] = [];

  constructor(readonly env: Record<string, string | undefined> = {}) {}

  readonly stdin = () => Readable.from([Buffer.from(this.stdinText)]);
  readonly now = () => this.elapsedMs;

  readonly sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    this.sleeps.push(ms);
    for (const wake of this.#sleepWaiters.splice(0)) wake();
    if (this.holdSleeps !== null) await Promise.race([this.holdSleeps, aborted(signal)]);
    if (signal?.aborted !== true) this.elapsedMs += ms;
  };

  readonly onSignal = (handler: (signal: ForwardedSignal) => void) => {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  };

  /** Resolves once a sleep of `ms` has begun. */
  async sleeping(ms: number): Promise<void> {
    while (!this.sleeps.includes(ms)) await new Promise<void>((r) => this.#sleepWaiters.push(r));
  }

  /** Delivers a signal as if the wrapper process had received it. */
  signal(signal: ForwardedSignal): void {
    for (const handler of this.#handlers) handler(signal);
  }

  get listeningForSignals(): boolean {
    return this.#handlers.size > 0;
  }

  /** Resolves once stdout contains `text`. */
  stdoutShows(text: string): Promise<void> {
    return shows(this.stdout, text);
  }

  /** Resolves once stderr contains `text`. */
  stderrShows(text: string): Promise<void> {
    return shows(this.stderr, text);
  }
}

function shows(stream: Collector, text: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => stream.text.includes(text) && resolve();
    stream.onWrite = check;
    check();
  });
}

function aborted(signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return new Promise(() => undefined);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
