// One live monitor, and what Monitors records and logs about it.
import { createHash } from 'node:crypto';
import type { MonitorConfig } from '../config/types.js';
import type { AlertPing } from '../core/alert.js';
import type { MonitorState, ReceivedPing, Transition } from '../core/types.js';
import type { Logger } from '../platform/log.js';

export interface Monitor {
  config: MonitorConfig;
  readonly id: number;
  state: MonitorState;
  /** Since when this process has been receiving this monitor's pings (see core nextDeadline). */
  activeSince: number;
  pingsSincePrune: number;
  /** The latest run time and value sent with a ping, for metrics; undefined until first asked. */
  measured: Measured | undefined;
}

export interface Measured {
  readonly durationMs: number | null;
  readonly value: number | null;
}

/** An operator's action on a monitor. */
export type Action =
  { readonly kind: 'pause' | 'resume' } | { readonly kind: 'snooze'; readonly durationMs: number };

/** What one commit wrote, published once it is durable. */
export interface Made {
  readonly transitions: Transition[];
  alerts: number;
  readonly measured: [Monitor, Measured][];
  /** Pings stored, by kind. */
  readonly pings: Map<string, number>;
}

export function newMade(): Made {
  return { transitions: [], alerts: 0, measured: [], pings: new Map() };
}

export function logTransition(log: Logger, t: Transition): void {
  const level = t.to === 'down' && t.alert !== null ? 'warn' : 'info';
  log[level](`monitor ${t.to}`, {
    monitor: t.slug,
    from: t.from,
    reason: t.reason,
    alert: t.alert ?? 'none',
  });
}

export function bufferOf(body: Uint8Array | null): Buffer | null {
  if (body === null || body.length === 0) return null;
  return Buffer.isBuffer(body) ? body : Buffer.from(body);
}

export function alertPing(p: ReceivedPing): AlertPing {
  const output =
    p.body === null || p.body.length === 0 ? null : Buffer.from(p.body).toString('utf8');
  // The run's duration comes from the status machine's step (buildAlert fills it in).
  return {
    at: new Date(p.at).toISOString(),
    kind: p.kind,
    exit_status: p.exitStatus,
    output,
    duration_ms: null,
    value: p.value,
  };
}

/**
 * A Map lookup compares keys byte by byte and stops at the first difference, so keying by the
 * token would let response times reveal how much of a guess was right. Keyed by the SHA-256 of the
 * token, a guess learns only how many leading bytes of an unpredictable digest it matched.
 */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}
