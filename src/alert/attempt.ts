// One delivery attempt of an outbox row: running the hook, deciding what the row becomes (delivered,
// retried after a backoff, given up), and the log line that says so.
import type { Alert } from '../core/alert.js';
import type { Logger } from '../platform/log.js';
import { failed, type DeliveryResult, type Hook, type HookOutput } from '../core/hook.js';
import type { AttemptOutcome, AttemptRecord, GroupAttempt, OutboxItem } from '../engine/ports.js';

const RETRY_BASE_MS = 2_000;
const RETRY_MAX_MS = 5 * 60_000;
// A Retry-After beyond this is taken as a misconfigured receiver: alerts must not wait for days.
const RETRY_AFTER_MAX_MS = 60 * 60_000;
const GIVE_UP_AFTER_MS = 86_400_000;

/** Exponential backoff with ±25% jitter, so alerts failing together do not retry in lockstep. */
export function retryDelayMs(attempt: number, random: () => number): number {
  const base = Math.min(RETRY_BASE_MS * 2 ** Math.max(attempt - 1, 0), RETRY_MAX_MS);
  return Math.round(base * (0.75 + random() * 0.5));
}

/** A finished attempt, waiting for the turn's records to be written. */
export interface Finished {
  readonly item: OutboxItem;
  readonly outcome: AttemptOutcome;
  readonly error: string | null;
  readonly permanent: boolean;
  /** The monitor's slug, for the log; null when the payload could not be read. */
  readonly monitor: string | null;
  readonly output: HookOutput | undefined;
}

export interface AttemptOptions {
  readonly now: () => number;
  /** After this long since the alert was created, a failing delivery is given up. */
  readonly giveUpAfterMs?: number;
  readonly random?: () => number;
}

/** Runs one attempt; whatever goes wrong (a corrupt payload, a hook that throws) is a failure. */
export async function runAttempt(
  item: OutboxItem,
  hook: Hook,
  o: AttemptOptions,
): Promise<Finished> {
  const startedAt = o.now();
  const alert = parse(item.payload);
  const result = await deliver(alert, hook);
  const at = o.now();
  const attempt = { ...result, at: startedAt, durationMs: at - startedAt };
  // `?.`: a payload that is not an alert still gets its attempt recorded.
  const monitor = alert instanceof Error ? null : (alert.monitor?.slug ?? null);
  return finish(item, monitor, attempt, o);
}

/**
 * What the row becomes after `attempt`: delivered, retried after its backoff, or given up (a
 * permanent failure, or its alert older than the give-up time). A grouped attempt's rows each
 * get their own (`group` set).
 */
export function finish(
  item: OutboxItem,
  monitor: string | null,
  attempt: AttemptRecord,
  o: AttemptOptions,
  group?: GroupAttempt,
): Finished {
  const at = attempt.at + attempt.durationMs;
  const givenUp =
    !attempt.ok &&
    (attempt.permanent || at - item.createdAt >= (o.giveUpAfterMs ?? GIVE_UP_AFTER_MS));
  const state = attempt.ok ? 'delivered' : givenUp ? 'failed' : 'pending';
  const nextAttemptAt = state === 'pending' ? at + retryInMs(item.attempts + 1, attempt, o) : at;
  const outcome = { outboxId: item.id, attempt, state, nextAttemptAt, group } as const;
  const { error, permanent, output } = attempt;
  return { item, outcome, error, permanent, monitor, output };
}

export function parse(payload: string): Alert | Error {
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value !== 'object' || value === null) return new Error('the alert is not an object');
    return value as Alert;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

async function deliver(alert: Alert | Error, hook: Hook): Promise<DeliveryResult> {
  if (alert instanceof Error) return failed(String(alert), false);
  try {
    return await hook.deliver(alert);
  } catch (error) {
    return failed(String(error), false);
  }
}

/** The backoff, or longer when the receiver asked for it (Retry-After), within reason. */
function retryInMs(attempts: number, result: DeliveryResult, o: AttemptOptions): number {
  const backoff = retryDelayMs(attempts, o.random ?? Math.random);
  return Math.max(backoff, Math.min(result.retryAfterMs ?? 0, RETRY_AFTER_MAX_MS));
}

/** The metrics label of a recorded attempt. */
export function resultOf(f: Finished): 'ok' | 'failed' | 'retry' {
  const { state } = f.outcome;
  return state === 'delivered' ? 'ok' : state === 'failed' ? 'failed' : 'retry';
}

export function logAttempt(log: Logger, f: Finished): void {
  const { item, outcome: o, error, permanent } = f;
  logOutput(log, f);
  const { at, durationMs } = o.attempt;
  // The monitor too: a timed-out command's error names the process group it killed, and the
  // operator reading that line needs to know whose alert it was.
  const monitor = f.monitor ?? undefined;
  const fields = { hook: item.hook, monitor, outbox: item.id, attempts: item.attempts + 1 };
  if (o.state === 'delivered') log.info('alert delivered', { ...fields, duration_ms: durationMs });
  else if (o.state === 'pending')
    log.warn('alert delivery failed; will retry', {
      ...fields,
      duration_ms: durationMs,
      error,
      retry_in_ms: o.nextAttemptAt - at - durationMs,
    });
  else
    log.error('alert delivery gave up', { ...fields, duration_ms: durationMs, error, permanent });
}

/** What the hook printed, a log line per line, before the line that says how the attempt went. */
export function logOutput(log: Logger, { item, monitor, output }: Finished): void {
  if (output === undefined) return;
  const tags = { hook: item.hook, monitor: monitor ?? undefined };
  for (const { stream, text } of output.lines)
    log.info('hook output', { ...tags, stream, line: text });
  if (output.cutBytes > 0)
    log.warn('hook output cut', {
      ...tags,
      cut_bytes: output.cutBytes,
      limit_bytes: output.limitBytes,
    });
}
