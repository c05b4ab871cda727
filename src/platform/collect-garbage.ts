// One full garbage collection, asked for by the daemon once start-up is done. Reading the config
// and loading every monitor leave most of what they allocated as garbage in V8's old generation;
// left there, it is collected by V8's later major collections (its memory reducer runs a few
// about half a minute after start), whose pauses fall on the alerts of those minutes. Collected
// here, before the daemon listens, it costs start-up a pause instead (see docs/performance.md).
// The collector is reached as the `expose-gc` package does: the flag set at run time, `gc` taken
// from a new context (the main one was made before the flag).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/** Collects, or does nothing on a runtime that does not give the collector this way. */
export function collectGarbage(): void {
  gc ??= collector();
  gc();
}

function collector(): () => void {
  try {
    setFlagsFromString('--expose-gc');
    const found: unknown = runInNewContext('gc');
    if (typeof found === 'function') return found as () => void;
  } catch {
    // Not worth failing start-up for: V8 then collects in its own time.
  }
  return () => undefined;
}
