// The write of a batch of pings: the per-ping hot path, on its own so that what it costs can be read
// in one place. It runs inside the group commit's transaction, applies each ping through the pure
// core, writes the ping, its transitions and alerts, and a monitor's row only when a restart could
// not derive it from the pings; it returns the publisher the group commit calls once the batch is
// durable (see commit-effects.ts). Keep the loop free of allocations and indirections it does not
// need: it runs once per ping.
import * as linked from '../core/maintenance.js';
import type { MonitorState, PingKind, ReceivedPing, Transition } from '../core/types.js';
import { noEffects, publish, writeTransitions, type WriteSide } from './commit-effects.js';
import type { StateOf } from './dependents.js';
import { MonitorGone } from './intake.js';
import type { Monitor } from './live-monitor.js';

/** Writes a batch of pings; runs inside the group commit's transaction. Returns the publisher. */
export function writePings(
  w: WriteSide,
  pings: readonly ReceivedPing[],
  refuse: (index: number, reason: Error) => void,
): () => void {
  const next = new Map<Monitor, MonitorState>();
  const effects = noEffects();
  const stateOf: StateOf = (m) => next.get(m) ?? m.state;
  for (let i = 0; i < pings.length; i++) {
    const ping = pings[i] as ReceivedPing;
    // A reload between receipt and commit may have renamed the monitor (its tokens find it) or
    // removed it: then the ping is refused, never acknowledged without being written.
    const monitor = w.bySlug.get(ping.slug) ?? byAnyToken(w, ping.tokens);
    if (monitor === undefined) {
      refuse(i, new MonitorGone(ping.slug));
      continue;
    }
    const before = next.get(monitor) ?? monitor.state;
    const parentDown = w.dependents.parentDown(monitor, stateOf);
    const step = linked.applyPing(monitor.config, before, ping, parentDown);
    // A run time the client measured (its wrapper saw the job start and end) wins over overdue's
    // start-to-end measure, which also holds the start ping's answer and the end ping's trip.
    const durationMs = ping.durationMs ?? step.durationMs;
    w.store.insertPing({
      monitorId: monitor.id,
      at: ping.at,
      kind: storedKind(ping.kind, step),
      exitStatus: ping.exitStatus,
      runId: ping.runId,
      durationMs,
      value: ping.value,
      method: ping.method,
      remoteAddr: ping.remoteAddr,
      userAgent: ping.userAgent,
      body: bufferOf(ping.body),
    });
    effects.pings.set(ping.kind, (effects.pings.get(ping.kind) ?? 0) + 1);
    if (durationMs !== null || ping.value !== null)
      effects.measured.push([monitor, { durationMs, value: ping.value }]);
    writeTransitions(w, monitor, before, step, ping, effects);
    next.set(monitor, step.state);
    w.dependents.release(monitor, before, step.state, ping.at, next, w.store);
  }
  saveUnderivable(w, next);
  return () => publish(w, next, effects);
}

/**
 * Writes the rows of the batch's monitors that a restart could not derive from the pings table
 * (see Store.loadMonitors; pruning keeps what the pings it removes told).
 */
function saveUnderivable(w: WriteSide, next: ReadonlyMap<Monitor, MonitorState>): void {
  for (const [monitor, state] of next) {
    if (!derivable(monitor.state, state)) w.store.saveState(monitor.id, state);
  }
}

function byAnyToken(w: WriteSide, tokens: readonly string[]): Monitor | undefined {
  for (const token of tokens) {
    const monitor = w.byToken(token);
    if (monitor !== undefined) return monitor;
  }
  return undefined;
}

/** True when `after` differs from `before` only in what the newest pings tell at load. */
function derivable(before: MonitorState, after: MonitorState): boolean {
  for (const key in after) {
    if (key === 'lastPingAt' || key === 'lastSuccessAt') continue;
    if (after[key as keyof MonitorState] !== before[key as keyof MonitorState]) return false;
  }
  return true;
}

/**
 * The kind a ping is stored as. A success that broke min-runtime or early counts as a failure, and
 * is stored as one: a restart takes the last success from the newest stored success ping (see
 * Store.loadMonitors), which must not be this one.
 */
function storedKind(kind: PingKind, step: { readonly transitions: readonly Transition[] }) {
  if (kind !== 'success') return kind;
  const broken = step.transitions.some((t) => t.reason === 'too-short' || t.reason === 'too-early');
  return broken ? 'fail' : kind;
}

function bufferOf(body: Uint8Array | null): Buffer | null {
  if (body === null || body.length === 0) return null;
  return Buffer.isBuffer(body) ? body : Buffer.from(body);
}
