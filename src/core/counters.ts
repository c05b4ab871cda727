// What this process has counted since it started, for /metrics: pings by kind, transitions by the
// status they led to, deliveries by hook and result. Created by the daemon and passed to whoever
// counts; Prometheus computes rates from counters that reset when the process restarts.
import type { Transition } from './types.js';

/** How a delivery attempt ended: delivered, to be retried, or given up. */
export type DeliveryVerdict = 'ok' | 'retry' | 'failed';

export class Counters {
  readonly pings = new Map<string, number>();
  readonly transitions = new Map<string, number>();
  /** Successes counted as failures, by the rule they broke (too-short, too-early). */
  readonly brokenRules = new Map<string, number>();
  /** Down alerts a parent's down suppressed (depends-on). */
  suppressed = 0;
  /** Outgoing heartbeats (server.heartbeat), keyed `kind result`: `success ok`, `fail failed`... */
  readonly heartbeats = new Map<string, number>();
  /** Keyed by hook, then result: one per alert, grouped or not. */
  readonly deliveries = new Map<string, Map<DeliveryVerdict, number>>();
  /** Grouped deliveries (a hook's `group:`), each carrying several alerts: by hook, then result. */
  readonly groups = new Map<string, Map<DeliveryVerdict, number>>();

  ping(kind: string, n = 1): void {
    add(this.pings, kind, n);
  }

  transition(to: string, t?: Pick<Transition, 'reason' | 'alert' | 'parent'>): void {
    add(this.transitions, to);
    if (t === undefined) return;
    if (t.reason === 'too-short' || t.reason === 'too-early') add(this.brokenRules, t.reason);
    if (t.alert === null && t.parent != null) this.suppressed++;
  }

  heartbeat(kind: 'success' | 'fail', ok: boolean): void {
    add(this.heartbeats, `${kind} ${ok ? 'ok' : 'failed'}`);
  }

  delivery(hook: string, result: DeliveryVerdict): void {
    addByHook(this.deliveries, hook, result);
  }

  group(hook: string, result: DeliveryVerdict): void {
    addByHook(this.groups, hook, result);
  }
}

function addByHook(
  map: Map<string, Map<DeliveryVerdict, number>>,
  hook: string,
  result: DeliveryVerdict,
): void {
  let byResult = map.get(hook);
  if (byResult === undefined) map.set(hook, (byResult = new Map<DeliveryVerdict, number>()));
  add(byResult, result);
}

function add<K>(map: Map<K, number>, key: K, n = 1): void {
  map.set(key, (map.get(key) ?? 0) + n);
}
