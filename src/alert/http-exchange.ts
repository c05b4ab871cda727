// One HTTP exchange for a hook, with node:http: the request, redirects followed as fetch follows
// them, and the answer (the body only of an error answer, and only its start). Connections are
// kept alive by Node's global agents, so an alert storm to one receiver does not open a connection
// per alert; `fetch` cost about 1 ms of CPU per request, this a fraction of that.
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { VERSION } from '../version.js';
import type { HttpRequest } from './http-send.js';

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

/** Sends `request`; rejects on a network error, and with a TimeoutError after `timeoutMs` in all. */
export function exchange(request: HttpRequest, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let current: ClientRequest | null = null;
    let settled = false;
    const finish = (error: Error | null, answer?: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error !== null || answer === undefined) reject(error ?? new Error('no answer'));
      else resolve(answer);
    };
    const timer = setTimeout(() => {
      const error = new Error(`timed out after ${timeoutMs} ms`);
      error.name = 'TimeoutError';
      finish(error);
      current?.destroy(error);
    }, timeoutMs);
    const send = (req: HttpRequest, redirects: number, retried: boolean) => {
      try {
        current = start(req, (error, res) => {
          if (error !== null) {
            // A kept-alive connection the receiver closed just as it was reused: once more, anew.
            const reused = current?.reusedSocket === true && !retried && isReset(error);
            return reused ? send(req, redirects, true) : finish(error);
          }
          const status = res.statusCode ?? 0;
          const location = res.headers.location;
          if (REDIRECTS.has(status) && location !== undefined) {
            res.resume();
            if (redirects >= MAX_REDIRECTS) return finish(new Error('too many redirects'));
            let next: HttpRequest;
            try {
              next = redirected(req, status, location);
            } catch {
              // Runs in an event handler: a throw here would end the daemon.
              return finish(new Error(`HTTP ${status} to an invalid location`));
            }
            return send(next, redirects + 1, false);
          }
          if (status >= 200 && status < 300) {
            res.resume(); // drained, so the connection can be reused
            return finish(null, { status, headers: res.headers, body: '' });
          }
          readStart(res, ERROR_BODY_BYTES, (body) =>
            finish(null, { status, headers: res.headers, body }),
          );
        });
      } catch (error) {
        // An invalid URL or header value: nothing was sent.
        finish(error instanceof Error ? error : new Error(String(error)));
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

/** The request a redirect asks for, as fetch makes it. */
function redirected(req: HttpRequest, status: number, location: string): HttpRequest {
  const from = new URL(req.url);
  const to = new URL(location, from);
  const asGet = status === 303 || ((status === 301 || status === 302) && req.method === 'POST');
  const dropped = new Set<string>();
  if (asGet) ['content-type', 'content-length', 'content-encoding'].forEach((h) => dropped.add(h));
  // Credentials are not sent on to another origin.
  if (to.origin !== from.origin)
    ['authorization', 'cookie', 'proxy-authorization'].forEach((h) => dropped.add(h));
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(([name]) => !dropped.has(name.toLowerCase())),
  );
  return {
    method: asGet && req.method !== 'HEAD' ? 'GET' : req.method,
    url: to.href,
    headers,
    body: asGet ? null : req.body,
  };
}

/** The first `limit` bytes of a body as text; what arrived, should the body break off. */
function readStart(res: IncomingMessage, limit: number, done: (text: string) => void): void {
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
}
