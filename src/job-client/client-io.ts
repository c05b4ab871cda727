// Everything the client commands touch outside themselves, injected so tests run them in-process
// with a fake clock, a recording server and simulated signals.
import { setTimeout as delay } from 'node:timers/promises';
import type { Readable, Writable } from 'node:stream';
import { isatty } from 'node:tty';

/** The signals `exec` passes on to its job. */
export type ForwardedSignal = 'SIGTERM' | 'SIGINT' | 'SIGHUP';
export const FORWARDED_SIGNALS: readonly ForwardedSignal[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

export interface ClientIO {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /**
   * Read only by `ping --data @-`. A function, because opening process.stdin puts a pipe on fd 0
   * in non-blocking mode, which a job inheriting fd 0 would then see as EAGAIN on read.
   */
  readonly stdin: () => Readable;
  /**
   * Whether fd 0 is a terminal. Then the job stays in our process group, so it can still read
   * the terminal, and it already gets the keyboard's SIGINT; otherwise it gets a group of its own.
   */
  readonly interactive: boolean;
  readonly fetch: typeof fetch;
  /** A monotonic clock in ms, for retry budgets. */
  readonly now: () => number;
  /** Waits `ms`; resolves early (never rejects) once `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Calls `handler` on each forwarded signal until the returned function is called. */
  readonly onSignal: (handler: (signal: ForwardedSignal) => void) => () => void;
}

/** The real process: what `main.ts` passes to `runExec` and `runPing`. */
export function processClientIO(): ClientIO {
  return {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: () => process.stdin,
    interactive: isatty(0),
    fetch: (input, init) => fetch(input, init),
    now: () => performance.now(),
    sleep: sleepUnlessAborted,
    onSignal: onProcessSignals,
  };
}

async function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal ? { signal } : {});
  } catch {
    // Aborted: the caller looks at its signal to tell why it woke up.
  }
}

function onProcessSignals(handler: (signal: ForwardedSignal) => void): () => void {
  const listeners = FORWARDED_SIGNALS.map((signal) => {
    const listener = () => handler(signal);
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}
