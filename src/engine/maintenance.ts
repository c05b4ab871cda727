// Maintenance after a reload: a hold (a down the maintenance keeps quiet) ends when the maintenance
// the new config describes ends; at once when the window left the config (core rehold).
import { rehold } from '../core/maintenance.js';
import type { MonitorState } from '../core/types.js';
import type { Monitor } from './live-monitor.js';

/**
 * The monitors whose hold moves at `now`, each with its new state. A generator: each monitor's
 * state is read when it is reached, after whatever the caller wrote before.
 */
export function* reheld(
  monitors: { all(): Iterable<Monitor> },
  now: number,
): Generator<[Monitor, MonitorState]> {
  for (const m of monitors.all()) {
    const next = rehold(m.config, m.state, now);
    if (next !== null) yield [m, next];
  }
}
