// `overdue probe URL`: an HTTP health check for places without curl (the container image's
// HEALTHCHECK). Exit 0 when the URL answers 2xx, 1 otherwise (with why on stderr), 2 on usage.
import { formatDuration, parseDuration } from '../core/duration.js';
import { UsageError, type ParsedArgs } from './args.js';

const DEFAULT_TIMEOUT_MS = 5_000;

export async function probe(args: ParsedArgs): Promise<number> {
  const { positionals } = args;
  if (positionals.length !== 1) throw new UsageError('probe takes exactly one URL');
  const url = parseUrl(positionals[0] ?? '');
  const timeout = args.string('timeout');
  const timeoutMs = timeout === undefined ? DEFAULT_TIMEOUT_MS : parseTimeout(timeout);
  try {
    // The body is not read: the status says it all, and a slow body must not hold the check.
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    void res.body?.cancel();
    if (res.status >= 200 && res.status < 300) return 0;
    process.stderr.write(`overdue probe: ${url.href} answered ${res.status}\n`);
  } catch (error) {
    process.stderr.write(`overdue probe: ${url.href}: ${whyFailed(error, timeoutMs)}\n`);
  }
  return 1;
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`'${text}' is not a URL (e.g. http://127.0.0.1:8080/healthz)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`'${text}' is not an http:// or https:// URL`);
  }
  return url;
}

function parseTimeout(text: string): number {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) throw new UsageError(`--timeout '${text}' is not a duration (5s)`);
  return ms;
}

/** The cause a user can act on: fetch wraps the socket's error (ECONNREFUSED...) in `cause`. */
function whyFailed(error: unknown, timeoutMs: number): string {
  const e = error as { name?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (e.name === 'TimeoutError') return `no answer within ${formatDuration(timeoutMs)}`;
  const cause = e.cause?.code ?? e.cause?.message;
  return typeof cause === 'string' ? cause : String(error);
}
