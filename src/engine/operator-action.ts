// An operator's action on a monitor (pause, resume, snooze), through the pure core's control.ts. It
// is written at once, in a transaction of its own, and published after it like any other write
// (see commit-effects.ts); a conflict (pausing a paused monitor) is data.
import * as control from '../core/control.js';
import { noEffects, publish, writeTransitions, type WriteSide } from './commit-effects.js';
import type { Action } from './live-monitor.js';

/** Pauses, resumes or snoozes a monitor: written at once, in its own transaction. */
export function act(
  w: WriteSide,
  slug: string,
  action: Action,
  now: number,
): { ok: true } | { ok: false; error: string } {
  const monitor = w.bySlug.get(slug);
  if (monitor === undefined) return { ok: false, error: `no monitor '${slug}'` };
  const { config, state } = monitor;
  const step =
    action.kind === 'snooze'
      ? control.snooze(config, state, now, action.durationMs)
      : control[action.kind](config, state, now);
  if ('conflict' in step) return { ok: false, error: step.conflict };
  const effects = noEffects();
  const next = new Map([[monitor, step.state]]);
  w.store.transaction(() => {
    writeTransitions(w, monitor, state, step, null, effects);
    w.store.saveState(monitor.id, step.state);
    w.dependents.release(monitor, state, step.state, now, next, w.store);
  });
  publish(w, next, effects);
  return { ok: true };
}
