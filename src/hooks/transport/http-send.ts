// Sending one HTTP request for a hook, and turning the answer into a delivery result: what is
// retried, how long the receiver asked us to wait, and an error message with no secret in it.
import type { IncomingHttpHeaders } from 'node:http';
import { delivered, type DeliveryResult } from '../../core/hook.js';
import { exchange, type Answer, type HttpRequest } from './http-exchange.js';
import { retryAfterMs } from './retry-after.js';

export interface SendOptions {
  readonly timeoutMs: number;
  /** Values that must never appear in an error message: tokens, passwords, secret URLs. */
  readonly secrets: readonly string[];
  readonly now?: () => number;
}

const ERROR_DETAIL_CHARS = 200;

export async function sendHttp(
  request: HttpRequest,
  options: SendOptions,
): Promise<DeliveryResult> {
  let answer: Answer;
  try {
    answer = await exchange(request, options.timeoutMs);
  } catch (error) {
    return failure(errorText(error, options.timeoutMs), false, null, options.secrets);
  }
  const { status, headers } = answer;
  if (status >= 200 && status < 300) return delivered;
  const json = parseJson(answer.body);
  const detail = errorDetail(answer.body, json);
  const error = detail === null ? `HTTP ${status}` : `HTTP ${status}: ${detail}`;
  const result = failure(error, isPermanent(status), status, options.secrets);
  if (status !== 429 && status !== 503) return result;
  const wait = retryAfterMs(
    headerOf(headers['retry-after']),
    headerOf(headers.date),
    json,
    options.now ?? Date.now,
  );
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

function headerOf(value: IncomingHttpHeaders[string]): string | null {
  return value === undefined ? null : Array.isArray(value) ? (value[0] ?? null) : value;
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
