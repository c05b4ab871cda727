// Sending one HTTP request for a hook, and turning the answer into a delivery result: what is
// retried, how long the receiver asked us to wait, and an error message with no secret in it.
import { VERSION } from '../version.js';
import { delivered, type DeliveryResult } from './hook.js';
import { retryAfterMs } from './retry-after.js';

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Null sends no body (GET). */
  readonly body: string | null;
}

export interface SendOptions {
  readonly timeoutMs: number;
  /** Values that must never appear in an error message: tokens, passwords, secret URLs. */
  readonly secrets: readonly string[];
  readonly now?: () => number;
}

// Only this much of an error answer is looked at: enough for the service's explanation.
const ERROR_BODY_BYTES = 16_384;
const ERROR_DETAIL_CHARS = 200;

export async function sendHttp(
  request: HttpRequest,
  options: SendOptions,
): Promise<DeliveryResult> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: { 'user-agent': `overdue/${VERSION}`, ...request.headers },
      ...(request.body === null ? {} : { body: request.body }),
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'follow',
    });
  } catch (error) {
    return failure(errorText(error, options.timeoutMs), false, null, options.secrets);
  }
  if (response.ok) {
    // Drain the body so the connection can be reused; its content is not needed.
    await response.arrayBuffer().catch(() => undefined);
    return delivered;
  }
  const body = await readSome(response, ERROR_BODY_BYTES);
  const json = parseJson(body);
  const detail = errorDetail(body, json);
  const error = detail === null ? `HTTP ${response.status}` : `HTTP ${response.status}: ${detail}`;
  const result = failure(error, isPermanent(response.status), response.status, options.secrets);
  if (response.status !== 429 && response.status !== 503) return result;
  const h = response.headers;
  const wait = retryAfterMs(h.get('retry-after'), h.get('date'), json, options.now ?? Date.now);
  return wait === undefined ? result : { ...result, retryAfterMs: wait };
}

/** 4xx means the request itself is wrong and will stay wrong, except timeouts and rate limits. */
export function isPermanent(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function failure(
  error: string,
  permanent: boolean,
  statusCode: number | null,
  secrets: readonly string[],
): DeliveryResult {
  return { ok: false, permanent, statusCode, error: redact(error, secrets) };
}

/** `text` with every secret replaced; very short values are skipped, they would mangle words. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}

/** `POST https://example.com/…`: where a request goes, without the path that may hold a token. */
export function httpTarget(method: string, url: string): string {
  try {
    const u = new URL(url);
    return `${method} ${u.origin}${u.pathname === '/' && u.search === '' ? '/' : '/…'}`;
  } catch {
    return method;
  }
}

function errorText(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError')
    return `timed out after ${timeoutMs} ms`;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** The start of an error answer; the request's timeout bounds how long reading it may take. */
async function readSome(response: Response, limit: number): Promise<string> {
  try {
    return Buffer.from(await response.arrayBuffer())
      .subarray(0, limit)
      .toString('utf8');
  } catch {
    // A broken error answer still has its status.
    return '';
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The service's own explanation: a JSON error field, or a short plain-text answer. */
function errorDetail(body: string, json: unknown): string | null {
  let detail: string | null = null;
  if (typeof json === 'object' && json !== null) {
    const o = json as Record<string, unknown>;
    const errors = Array.isArray(o.errors) ? o.errors.filter((e) => typeof e === 'string') : [];
    const keys = ['description', 'message', 'error_description', 'errorDescription', 'error'];
    const found = keys.map((k) => o[k]).find((v) => typeof v === 'string' && v !== '');
    detail = typeof found === 'string' ? found : errors.length > 0 ? errors.join('; ') : null;
  } else if (body.trim() !== '' && !body.trimStart().startsWith('<')) {
    detail = body;
  }
  if (detail === null) return null;
  const line = detail.replace(/\s+/g, ' ').trim();
  return line.length > ERROR_DETAIL_CHARS ? `${line.slice(0, ERROR_DETAIL_CHARS - 3)}...` : line;
}
