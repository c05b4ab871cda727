// What every hook kind implements, and the result of one delivery attempt.
import type { Alert } from './alert.js';

export interface DeliveryResult {
  readonly ok: boolean;
  /** A permanent failure is not retried (a 4xx, a command that does not exist). */
  readonly permanent: boolean;
  readonly statusCode: number | null;
  readonly error: string | null;
  /** How long the receiver asked us to wait before trying again (Retry-After). */
  readonly retryAfterMs?: number;
  /** What a command printed, for the daemon's log and `overdue test-alert`. */
  readonly output?: HookOutput;
}

/** A command's output, as lines, up to a bound per delivery. */
export interface HookOutput {
  /** In the order they arrived on each stream (the two streams are read apart). */
  readonly lines: readonly OutputLine[];
  /** Bytes of output past the bound, not kept. */
  readonly cutBytes: number;
  /** The bound, in bytes, for messages. */
  readonly limitBytes: number;
}

export interface OutputLine {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export interface Hook {
  readonly name: string;
  /** Where deliveries go, for people: never a secret (no tokens, no URL paths). */
  readonly target: string;
  /** Deliveries it runs at once; the dispatcher's default when not given. */
  readonly concurrency?: number | undefined;
  /** Set when the hook groups its alerts (`group:` in its config); absent: one delivery each. */
  readonly group?: HookGroup | undefined;
  deliver(alert: Alert): Promise<DeliveryResult>;
  /**
   * Delivers several alerts as one: one webhook request with a JSON array, one command run with
   * the array on stdin, one chat message listing them (split where the service's size limit
   * requires). One result for all of them: a failure retries the whole group.
   */
  deliverGroup?(alerts: readonly Alert[]): Promise<DeliveryResult>;
}

/** How a hook groups: the alerts due within `waitMs` of the first, at most `max` per delivery. */
export interface HookGroup {
  readonly waitMs: number;
  readonly max: number;
}

export const delivered: DeliveryResult = {
  ok: true,
  permanent: false,
  statusCode: null,
  error: null,
};

export function failed(
  error: string,
  permanent: boolean,
  statusCode: number | null = null,
): DeliveryResult {
  return { ok: false, permanent, statusCode, error };
}
