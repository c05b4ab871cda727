// The live monitors after a jump of time: a step of the wall clock (see SteadyClock and core
// rebase.ts) moves every monitor's times with it; a suspend of the host gives each deadline that
// passed meanwhile one grace from the resume. Both re-arm every monitor.
import { rebaseState } from '../core/rebase.js';
import type { MonitorState } from '../core/types.js';
import type { Logger } from '../platform/log.js';
import { deadlineOf, type Monitor } from './live-monitor.js';
import type { MonitorStore } from './ports.js';

type Arm = (slug: string, at: number | null) => void;

/**
 * Every monitor's times moved by `stepMs`, so the elapsed time since each is kept and no deadline
 * comes closer or goes away. Written at once, so that a restart finds the times on the wall clock
 * it runs on; then the states are published and every monitor re-armed.
 */
export function rebaseAll(
  monitors: Iterable<Monitor>,
  stepMs: number,
  deps: { readonly store: MonitorStore; readonly log: Logger; readonly arm: Arm },
): void {
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
  for (const [monitor, state] of next) {
    monitor.state = state;
    deps.arm(monitor.config.slug, deadlineOf(monitor));
  }
}

/**
 * The host was suspended until `at`: no ping could arrive meanwhile, so, as after a restart, a
 * deadline that passed gets one grace from `at` before it alerts (see core nextDeadline).
 */
export function resumeAll(monitors: Iterable<Monitor>, at: number, arm: Arm): void {
  for (const monitor of monitors) {
    monitor.activeSince = Math.max(monitor.activeSince, at);
    arm(monitor.config.slug, deadlineOf(monitor));
  }
}
