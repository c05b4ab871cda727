// JSON bodies in and out, shared by the read API and the management API.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The largest JSON request body read; past it the request is answered 413. */
export const MAX_JSON_BYTES = 16 * 1024;
/** What readJson hands on for a body past MAX_JSON_BYTES. */
export const TOO_LARGE = Symbol('too large');

/** Epoch-ms fields (`at`, `..._at`, `snoozed_until`, and their deprecated camelCase twins) become ISO 8601 strings. */
function isoTimes(key: string, value: unknown): unknown {
  const time =
    key === 'at' ||
    key.endsWith('_at') ||
    key.endsWith('At') ||
    key === 'snoozed_until' ||
    key === 'snoozedUntil';
  return time && typeof value === 'number' ? new Date(value).toISOString() : value;
}

export function send(
  res: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body, isoTimes);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Reads a JSON body: undefined when it is not JSON, TOO_LARGE past MAX_JSON_BYTES (stops reading). */
export function readJson(req: IncomingMessage, done: (value: unknown) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= MAX_JSON_BYTES) {
      chunks.push(c);
      return;
    }
    req.removeAllListeners('data');
    req.removeAllListeners('end');
    req.resume();
    done(TOO_LARGE);
  });
  req.on('end', () => {
    try {
      done(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
    } catch {
      done(undefined);
    }
  });
}
