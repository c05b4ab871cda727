// The deadlines that fell due, applied for the scheduler: parents before their children, all in one
// transaction, published after it. A write that fails must not lose silence: the same deadlines are
// tried again shortly, and a down among them is sent from memory meanwhile (see UnrecordedDowns).
import * as linked from '../core/maintenance.js';
import type { MonitorState } from '../core/types.js';
import { noEffects, publish, writeTransitions, type WriteSide } from './commit-effects.js';
import type { StateOf } from './dependents.js';
import type { Monitor } from './live-monitor.js';

// Deadlines that could not be recorded are tried again after this long.
const RECORD_RETRY_MS = 1_000;

/** Applies the deadlines that fell due at `now`. */
export function applyDue(w: WriteSide, slugs: readonly string[], now: number): void {
  const next = new Map<Monitor, MonitorState>();
  const effects = noEffects();
  // A down being sent from memory is recorded once its deliveries end: who took it is known then.
  const ready = slugs.filter((slug) => !waitForUnrecorded(w, slug, now));
  const due = w.dependents.order(ready.flatMap((slug) => w.bySlug.get(slug) ?? []));
  const stateOf: StateOf = (m) => next.get(m) ?? m.state;
  try {
    w.store.transaction(() => {
      for (const monitor of due) {
        const before = stateOf(monitor);
        const parentDown = w.dependents.parentDown(monitor, stateOf);
        const step = linked.applyDeadlines(
          monitor.config,
          before,
          monitor.activeSince,
          now,
          parentDown,
        );
        writeTransitions(w, monitor, before, step, null, effects);
        // A quiet miss (alert-after) changes the state without a transition.
        if (step.state !== before) w.store.saveState(monitor.id, step.state);
        next.set(monitor, step.state);
        w.dependents.release(monitor, before, step.state, now, next, w.store);
      }
    });
  } catch (error) {
    afterFailedWrite(w, ready, now, error);
    return;
  }
  publish(w, next, effects);
}

/** Nothing was written: tries the same deadlines again shortly rather than lose them. */
function afterFailedWrite(w: WriteSide, ready: readonly string[], now: number, error: unknown) {
  w.log.error('cannot record deadlines; retrying in 1 s', {
    error: String(error),
    monitors: ready.length,
  });
  for (const slug of ready) w.arm(slug, now + RECORD_RETRY_MS);
  // Silence must still be alerted: a down among them is sent from memory, once per outage.
  const due = ready.map((slug) => w.bySlug.get(slug));
  w.unrecorded.afterFailedWrite(
    due.filter((m) => m !== undefined),
    now,
  );
}

function waitForUnrecorded(w: WriteSide, slug: string, now: number): boolean {
  const monitor = w.bySlug.get(slug);
  if (monitor === undefined || !w.unrecorded.sending(monitor)) return false;
  w.arm(slug, now + RECORD_RETRY_MS);
  return true;
}
