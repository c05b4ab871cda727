// One HTTP exchange for a hook, with node:http: the request, redirects followed as fetch follows
// them, and the answer (the body only of an error answer, and only its start). Connections are
// kept alive by Node's global agents, so an alert storm to one receiver does not open a connection
// per alert; `fetch` cost about 1 ms of CPU per request, this a fraction of that.
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { VERSION } from '../../platform/version.js';

/** One request of a hook, its templates filled in. Declared with the exchange, which sends it. */
export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Null sends no body (GET). */
  readonly body: string | null;
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The start of the body of an error answer; empty for a 2xx (its body is drained unread). */
  readonly body: string;
}

// Only this much of an error answer is read: enough for the service's explanation.
const ERROR_BODY_BYTES = 16_384;
const MAX_REDIRECTS = 20; // as fetch
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Sends `request`; rejects on a network error, and with a TimeoutError after `timeoutMs` in all.
 * The timeout also ends what is left once the answer is known: a 2xx body that never ends (its
 * connection would stay open for good), or an error body still arriving (the status is kept).
 */
export function exchange(request: HttpRequest, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let current: ClientRequest | null = null;
    let settled = false;
    /** Set while an error answer's body is read: ends it with what has arrived. */
    let cutShort: (() => void) | null = null;
    const finish = (error: Error | null, answer?: Answer) => {
      if (settled) return;
      settled = true;
      if (error !== null || answer === undefined) reject(error ?? new Error('no answer'));
      else resolve(answer);
    };
    const over = () => clearTimeout(timer);
    const fail = (error: Error) => {
      over();
      finish(error);
    };
    const timer = setTimeout(() => {
      const error = new Error(`timed out after ${timeoutMs} ms`);
      error.name = 'TimeoutError';
      cutShort?.();
      finish(error);
      current?.destroy(error);
    }, timeoutMs);
    const answered = (req: HttpRequest, res: IncomingMessage, redirects: number) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location !== undefined) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) return fail(new Error('too many redirects'));
        // Runs in an event handler: a throw here would end the daemon.
        const next = redirected(req, status, location);
        return typeof next === 'string' ? fail(new Error(next)) : send(next, redirects + 1, false);
      }
      if (status >= 200 && status < 300) {
        res.resume(); // drained, so the connection can be reused
        res.once('end', over).once('close', over);
        return finish(null, { status, headers: res.headers, body: '' });
      }
      cutShort = readStart(res, ERROR_BODY_BYTES, (body) => {
        over();
        finish(null, { status, headers: res.headers, body });
      });
    };
    const send = (req: HttpRequest, redirects: number, retried: boolean) => {
      try {
        current = start(req, (error, res) => {
          if (error === null) return answered(req, res, redirects);
          // A kept-alive connection the receiver closed just as it was reused: once more, anew.
          const reused = current?.reusedSocket === true && !retried && isReset(error);
          return reused ? send(req, redirects, true) : fail(error);
        });
      } catch (error) {
        // An invalid URL or header value: nothing was sent.
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    };
    send(request, 0, false);
  });
}

function start(
  req: HttpRequest,
  done: (error: Error | null, res: IncomingMessage) => void,
): ClientRequest {
  const url = new URL(req.url);
  const send =
    url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : null;
  if (send === null) throw new Error(`unsupported URL scheme ${url.protocol}`);
  const r = send(url, {
    method: req.method,
    headers: { 'user-agent': `overdue/${VERSION}`, ...req.headers },
  });
  let answered = false;
  r.once('response', (res) => {
    answered = true;
    done(null, res);
  });
  r.on('error', (error) => {
    if (!answered) done(error, undefined as never);
  });
  // As bytes: a string body would be sent together with the header block in its encoding (UTF-8),
  // and header values, which are bytes (latin1 strings, see headerSafe), would be encoded twice.
  r.end(req.body === null ? undefined : Buffer.from(req.body, 'utf8'));
  return r;
}

function isReset(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

/**
 * The request a redirect asks for, as fetch makes it; or why it is not followed. A hook's headers
 * and body may hold its credentials (a token header, a password in the body), so a redirect is
 * followed only on the same origin, or from http to https on the same host.
 */
function redirected(req: HttpRequest, status: number, location: string): HttpRequest | string {
  const from = new URL(req.url);
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    return `HTTP ${status} to an invalid location`;
  }
  const upgrade =
    from.protocol === 'http:' && to.protocol === 'https:' && from.hostname === to.hostname;
  if (to.origin !== from.origin && !upgrade) {
    return `HTTP ${status} to another site (${to.origin}), not followed: put that URL in the hook`;
  }
  const asGet = status === 303 || ((status === 301 || status === 302) && req.method === 'POST');
  const dropped = asGet ? ['content-type', 'content-length', 'content-encoding'] : [];
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(([name]) => !dropped.includes(name.toLowerCase())),
  );
  return {
    method: asGet && req.method !== 'HEAD' ? 'GET' : req.method,
    url: to.href,
    headers,
    body: asGet ? null : req.body,
  };
}

/**
 * The first `limit` bytes of a body as text; what arrived, should the body break off. Returns a
 * function that ends the reading at once with what has arrived.
 */
function readStart(res: IncomingMessage, limit: number, done: (text: string) => void): () => void {
  const chunks: Buffer[] = [];
  let size = 0;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    done(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
  };
  res.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) {
      end();
      res.destroy();
    }
  });
  res.on('end', end);
  res.on('close', end);
  res.on('error', end);
  return end;
}
