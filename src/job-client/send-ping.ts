// One ping, retried: a job must never fail or hang because overdue is unreachable, so every
// ping has a per-request timeout and a total budget, and only transient failures are retried.
import { VERSION } from '../platform/version.js';
import type { ClientIO } from './client-io.js';

export interface RetryPolicy {
  readonly tries: number;
  /** Per request, answer included. */
  readonly timeoutMs: number;
  /** The first wait between tries; it doubles after each. */
  readonly backoffMs: number;
  /** No try starts, and no request outlives, this long after the first try started. */
  readonly budgetMs: number;
}

// 5 tries, waits 0.5 + 1 + 2 + 4 s: a restart of the daemon (a few seconds) is ridden out, and a
// dead server costs a job at most 10 s. The timeout leaves room for a TLS handshake across the
// internet and for the daemon's fsync, since it answers only once the ping is on disk.
export const PING_POLICY: RetryPolicy = {
  tries: 5,
  timeoutMs: 2_000,
  backoffMs: 500,
  budgetMs: 10_000,
};

export type PingResult =
  | { readonly ok: true; readonly bodyLimit: number | null }
  | { readonly ok: false; readonly error: string };

type Attempt = PingResult & { readonly retry?: boolean };

export interface PingControls {
  /** Aborting it ends the retries (a request in flight still finishes, within its timeout). */
  readonly stop?: AbortSignal;
  /** Called once the first try has its outcome: an answer, a network error or a timeout. */
  readonly firstTried?: () => void;
}

/**
 * Sends a POST (with `body` as the ping's output, if any) until it is answered 2xx, a 4xx says
 * retrying is useless, or the policy runs out. Never rejects.
 */
export async function sendPing(
  io: Pick<ClientIO, 'fetch' | 'now' | 'sleep'>,
  url: URL,
  body: Uint8Array | null,
  policy: RetryPolicy = PING_POLICY,
  { stop, firstTried }: PingControls = {},
): Promise<PingResult> {
  const deadline = io.now() + policy.budgetMs;
  let wait = policy.backoffMs;
  // A function, not a test inline: TypeScript would take `aborted` as unchanged by the sleep.
  const stopped = () => stop?.aborted === true;
  for (let tries = 1; ; tries++) {
    const timeoutMs = Math.max(1, Math.min(policy.timeoutMs, deadline - io.now()));
    const result = await attempt(io, url, body, timeoutMs);
    if (tries === 1) firstTried?.();
    if (result.ok) return { ok: true, bodyLimit: result.bodyLimit };
    if (result.retry !== true) return { ok: false, error: result.error };
    const outOfTries = tries >= policy.tries || io.now() + wait >= deadline;
    if (outOfTries || stopped()) return failed(result.error, tries);
    await io.sleep(wait, stop);
    if (stopped()) return failed(result.error, tries);
    wait *= 2;
  }
}

function failed(error: string, tries: number): PingResult {
  return { ok: false, error: tries === 1 ? error : `${error} (${tries} tries)` };
}

async function attempt(
  io: Pick<ClientIO, 'fetch'>,
  url: URL,
  body: Uint8Array | null,
  timeoutMs: number,
): Promise<Attempt> {
  try {
    const res = await io.fetch(url, {
      method: 'POST',
      headers: { 'user-agent': `overdue/${VERSION}`, 'content-type': 'text/plain; charset=utf-8' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = (await res.text()).trim().slice(0, 200);
    if (res.ok) return { ok: true, bodyLimit: bodyLimitOf(res.headers.get('ping-body-limit')) };
    // A 4xx (unknown monitor, bad rid) will not change on retry; a 5xx (the daemon could not
    // store the ping), 408 and 429 may.
    const retry = res.status >= 500 || res.status === 408 || res.status === 429;
    return { ok: false, error: `HTTP ${res.status} ${text || res.statusText}`, retry };
  } catch (error) {
    return { ok: false, error: describe(error, timeoutMs), retry: true };
  }
}

function bodyLimitOf(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header);
}

/** fetch hides the reason (ECONNREFUSED, ENOTFOUND) in `cause`, and says only "fetch failed". */
function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError')
    return `no answer within ${timeoutMs} ms`;
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return cause.message !== '' ? cause.message : (code ?? error.message);
  }
  return error.message;
}

/** The body limit when the server has not told its own (the daemon's default `body-limit`). */
export const DEFAULT_BODY_LIMIT = 10_000;
/** The daemon refuses request bodies over 1 MiB with 413, whatever its `body-limit`. */
export const MAX_BODY_BYTES = 1024 * 1024;
