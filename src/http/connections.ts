// A cap on open connections, below the process's file descriptor limit. Without one, connections
// that never send a byte (Node times out only requests that have begun) take every descriptor,
// and fresh pings are refused at accept (with 1 024 descriptors, 1 100 idle sockets made 40 of
// 137 pings fail). Near the cap the oldest idle connections are closed first: a connection with
// a request in flight is never cut, and an idle keep-alive client just connects again.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

// Descriptors kept for everything but clients: the database, its WAL and lock files, the config
// watcher, command hooks' pipes and webhooks' sockets, logs.
const RESERVED_DESCRIPTORS = 128;
// The cap when the limit cannot be read (not Linux): below the common default of 1 024.
const FALLBACK_CAP = 1_000;
// Many more connections than any real set of jobs holds; past it memory, not descriptors, binds.
const MOST_CONNECTIONS = 10_000;

/** The soft limit on open files (`ulimit -n`), from /proc/self/limits; null where unreadable. */
export function descriptorLimit(limits = '/proc/self/limits'): number | null {
  try {
    const line = /^Max open files\s+(\S+)/m.exec(readFileSync(limits, 'utf8'));
    if (line?.[1] === 'unlimited') return Number.MAX_SAFE_INTEGER;
    const n = Number(line?.[1]);
    return Number.isSafeInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** How many connections to allow with `limit` descriptors. */
export function connectionCap(limit: number | null): number {
  if (limit === null) return FALLBACK_CAP;
  return Math.max(16, Math.min(limit - RESERVED_DESCRIPTORS, MOST_CONNECTIONS));
}

/**
 * Counts a server's connections, marks which are idle (none of their requests in flight), and
 * closes the oldest idle ones when a new connection comes within `headroom` of `max`. Node's
 * own `maxConnections` refuses what still goes past the cap.
 */
export class ConnectionCap {
  readonly max: number;
  readonly #shedAt: number;
  readonly #onShed: (closed: number) => void;
  /** Requests in flight per open connection. */
  readonly #inFlight = new Map<Socket, number>();
  /** Idle connections, least recently active first (a Set keeps insertion order). */
  readonly #idle = new Set<Socket>();

  constructor(server: Server, max: number, onShed: (closed: number) => void = () => undefined) {
    this.max = max;
    this.#shedAt = max - Math.max(1, Math.floor(max / 16));
    this.#onShed = onShed;
    server.maxConnections = max;
    server.on('connection', (socket: Socket) => this.#opened(socket));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.#started(req, res));
  }

  get open(): number {
    return this.#inFlight.size;
  }

  #opened(socket: Socket): void {
    if (this.#inFlight.size >= this.#shedAt) this.#shed(this.#inFlight.size - this.#shedAt + 1);
    this.#inFlight.set(socket, 0);
    this.#idle.add(socket);
    socket.once('close', () => {
      this.#inFlight.delete(socket);
      this.#idle.delete(socket);
    });
  }

  #started(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    const n = this.#inFlight.get(socket);
    if (n === undefined) return;
    this.#inFlight.set(socket, n + 1);
    this.#idle.delete(socket);
    res.once('close', () => {
      const left = (this.#inFlight.get(socket) ?? 1) - 1;
      if (!this.#inFlight.has(socket)) return;
      this.#inFlight.set(socket, left);
      // Idle again: now the most recently active.
      if (left === 0) this.#idle.add(socket);
    });
  }

  /** Closes up to `count` idle connections, oldest first; at least a sixteenth of the cap. */
  #shed(count: number): void {
    let closed = 0;
    const wanted = Math.max(count, this.max - this.#shedAt);
    for (const socket of this.#idle) {
      if (closed >= wanted) break;
      this.#idle.delete(socket);
      this.#inFlight.delete(socket);
      socket.destroy();
      closed++;
    }
    if (closed > 0) this.#onShed(closed);
  }
}
