// A step of the wall clock applied to every live monitor (see SteadyClock and core rebase.ts).
import { rebaseState } from '../core/rebase.js';
import type { MonitorState } from '../core/types.js';
import type { Logger } from '../platform/log.js';
import type { Monitor } from './live-monitor.js';
import type { MonitorStore } from './ports.js';

/**
 * Every monitor's times moved by `stepMs`, so the elapsed time since each is kept and no deadline
 * comes closer or goes away. Written at once, so that a restart finds the times on the wall clock
 * it runs on; the caller publishes the states and re-arms.
 */
export function rebaseAll(
  monitors: Iterable<Monitor>,
  stepMs: number,
  deps: { readonly store: MonitorStore; readonly log: Logger },
): Map<Monitor, MonitorState> {
  const next = new Map<Monitor, MonitorState>();
  for (const monitor of monitors) {
    next.set(monitor, rebaseState(monitor.state, stepMs));
    monitor.activeSince += stepMs;
  }
  try {
    deps.store.transaction(() => {
      for (const [monitor, state] of next) deps.store.saveState(monitor.id, state);
    });
  } catch (error) {
    // The deadlines move all the same: only a restart before the next write of a monitor finds
    // its times from before the step, and then gives them one grace from the start.
    deps.log.error('cannot record the times moved by a step of the wall clock', {
      error: String(error),
    });
  }
  return next;
}
