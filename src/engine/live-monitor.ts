// One live monitor, and what a commit of Monitors wrote about it (published once it is durable).
import type { MonitorConfig } from '../config/types.js';
import type { AlertPing } from '../core/alert.js';
import type { MonitorState, ReceivedPing, Transition } from '../core/types.js';
import type { Logger } from '../platform/log.js';
import type { Measured } from './ports.js';

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

/** An operator's action on a monitor. */
export type Action =
  { readonly kind: 'pause' | 'resume' } | { readonly kind: 'snooze'; readonly durationMs: number };

/** What one commit wrote, published once it is durable. */
export interface CommitEffects {
  readonly transitions: Transition[];
  alerts: number;
  readonly measured: [Monitor, Measured][];
  /** Pings stored, by kind. */
  readonly pings: Map<string, number>;
}

export function noEffects(): CommitEffects {
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
