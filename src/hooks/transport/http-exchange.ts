// One HTTP exchange for a hook, over undici: the request, redirects followed as fetch follows them
// (but only on the same origin, see redirected), and the answer (the body only of an error answer,
// and only its start). undici keeps connections alive per origin, so an alert storm to one
// receiver does not open a connection per alert, and it honours the receiver's keep-alive hint;
// it costs about the CPU of node:http per request, far less than fetch.
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
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

// The connection pools of every hook. The exchange's own timeout bounds each request as a whole,
// so undici's per-phase timeouts are off.
const pools = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

type Body = Dispatcher.ResponseData['body'];

/**
 * Sends `request`; rejects on a network error, and with a TimeoutError after `timeoutMs` in all.
 * The timeout also ends what is left once the answer is known: a 2xx body that never ends (its
 * connection would stay open for good), or an error body still arriving (the status is kept).
 */
export async function exchange(request: HttpRequest, timeoutMs: number): Promise<Answer> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(timeoutError(timeoutMs)), timeoutMs);
  try {
    let current = request;
    for (let redirects = 0; ; redirects++) {
      const res = await send(current, abort.signal);
      const status = res.statusCode;
      const location = first(res.headers.location);
      if (REDIRECTS.has(status) && location !== undefined) {
        discard(res.body);
        if (redirects >= MAX_REDIRECTS) throw new Error('too many redirects');
        const next = redirected(current, status, location);
        if (typeof next === 'string') throw new Error(next);
        current = next;
        continue;
      }
      const headers = res.headers as IncomingHttpHeaders;
      if (status >= 200 && status < 300) {
        // Drained before the answer counts, so the next alert reuses the connection: undici
        // frees it in a setImmediate after the message ends, so we answer in the one after. A
        // body that never ends is cut by the timeout, and the 2xx still stands.
        await new Promise<void>((resolve) => discard(res.body, () => setImmediate(resolve)));
        clearTimeout(timer);
        return { status, headers, body: '' };
      }
      const body = await readStart(res.body, ERROR_BODY_BYTES);
      clearTimeout(timer);
      return { status, headers, body };
    }
  } catch (error) {
    clearTimeout(timer);
    throw abort.signal.aborted ? timeoutError(timeoutMs) : error;
  }
}

/** One request; once more on a new connection when a kept-alive one was closed as it was reused. */
async function send(req: HttpRequest, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
  const url = new URL(req.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`unsupported URL scheme ${url.protocol}`);
  const options: Dispatcher.RequestOptions = {
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: req.method as Dispatcher.HttpMethod,
    headers: { 'user-agent': `overdue/${VERSION}`, ...req.headers },
    // As bytes: header values are bytes already (latin1 strings, see headerSafe), the body is text.
    body: req.body === null ? null : Buffer.from(req.body, 'utf8'),
    signal,
  };
  try {
    return await pools.request(options);
  } catch (error) {
    if (!closedOnReuse(error)) throw error;
    return pools.request(options);
  }
}

/**
 * A connection the receiver closed just as it was reused: it had carried answers before (bytes
 * read) and ended before this one. Sent again once, on a new connection.
 */
function closedOnReuse(error: unknown): boolean {
  const e = error as { code?: string; socket?: { bytesRead?: number } };
  return e.code === 'UND_ERR_SOCKET' && (e.socket?.bytesRead ?? 0) > 0;
}

function timeoutError(timeoutMs: number): Error {
  const error = new Error(`timed out after ${timeoutMs} ms`);
  error.name = 'TimeoutError';
  return error;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads a body to its end unread; `ended` runs when it has ended or broken off. */
function discard(body: Body, ended: () => void = () => undefined): void {
  body.on('error', ended).on('end', ended).on('close', ended);
  body.resume();
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

/** The first `limit` bytes of a body as text; what arrived, should the body break off or time out. */
function readStart(body: Body, limit: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const end = () => resolve(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
    body.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size < limit) return;
      end();
      body.destroy();
    });
    body.on('end', end).on('close', end).on('error', end);
  });
}
