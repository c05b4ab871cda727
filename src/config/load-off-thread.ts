// loadConfig on a worker thread, for reloads: reading, parsing and validating a 50 MB config
// took 13 s of the daemon's event loop (no ping answered, no deadline fired meanwhile). The worker
// (parse.worker.ts) does all of it; the daemon then receives the config: the small part first,
// the monitors in batches of MONITORS_PER_MESSAGE, each asked for on the turn of the event loop
// after the last one was taken in. Receiving all 470 000 monitors of such a file in one message
// held the event loop 2.4 s; a batch takes a few milliseconds.
//
// One worker per load, ended when the config is in (its memory, a few times the file's size, goes
// with it) or when the load is aborted: a newer request, or the daemon shutting down.
import type { Env } from '../schema-kit/env.js';
import { startWorker } from '../platform/worker.js';
import type { Exposure } from './exposure.js';
import type { FileLoadResult, ParseOptions } from './load-config.js';
import type { Config, ConfigProblem, MonitorConfig } from './types.js';

/** Monitors per message from the worker: taking in one batch costs the event loop ~3 ms. */
export const MONITORS_PER_MESSAGE = 2_000;

/** What the worker is started with. */
export interface WorkerInput {
  readonly file: string;
  readonly env: Env;
  readonly options: ParseOptions;
  readonly perMessage: number;
}

/** What the worker sends: the config without its monitors, then batches of them; or why not. */
export type WorkerReply =
  | {
      readonly kind: 'config';
      readonly config: Config;
      /** How many monitors follow. */
      readonly monitors: number;
      readonly warnings: readonly ConfigProblem[];
      readonly exposure: Exposure;
    }
  | { readonly kind: 'monitors'; readonly monitors: readonly MonitorConfig[] }
  | { readonly kind: 'problems'; readonly problems: readonly ConfigProblem[] }
  | { readonly kind: 'error'; readonly message: string };

/**
 * What loadConfig(file, env, options) gives, worked out on a worker thread. Rejects when the
 * worker fails (its error) and when `signal` aborts (its reason); the worker is ended then.
 */
export function loadConfigOffThread(
  file: string,
  env: Env,
  options: ParseOptions = {},
  signal?: AbortSignal,
): Promise<FileLoadResult> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const input: WorkerInput = { file, env: { ...env }, options, perMessage: MONITORS_PER_MESSAGE };
    const worker = startWorker('config/parse', { workerData: input });
    let ended = false;
    const end = (settle: () => void) => {
      if (ended) return;
      ended = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      settle();
    };
    const onAbort = () => {
      const reason: unknown = signal?.reason;
      end(() => reject(reason instanceof Error ? reason : new Error(String(reason))));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const receiving = receiver((result) => end(() => resolve(result)));
    worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'error') return end(() => reject(new Error(reply.message)));
      if (!receiving(reply)) return;
      // The next batch is asked for on the next turn: what waits (pings, deadlines) goes first.
      setImmediate(() => ended || worker.postMessage('next'));
    });
    worker.on('error', (error) => end(() => reject(error)));
    worker.on('exit', (code) =>
      end(() => reject(new Error(`the config worker stopped (exit code ${code})`))),
    );
  });
}

/**
 * Takes in the worker's replies; calls `done` with the result once it is whole. Returns true when
 * more is expected.
 */
function receiver(done: (result: FileLoadResult) => void): (reply: WorkerReply) => boolean {
  let head: Extract<WorkerReply, { kind: 'config' }> | undefined;
  const monitors = new Map<string, MonitorConfig>();
  return (reply) => {
    if (reply.kind === 'problems') {
      done({ ok: false, problems: reply.problems });
      return false;
    }
    if (reply.kind === 'config') head = reply;
    else if (reply.kind === 'monitors') for (const m of reply.monitors) monitors.set(m.slug, m);
    if (head === undefined || monitors.size < head.monitors) return true;
    const { config, warnings, exposure } = head;
    done({ ok: true, config: { ...config, monitors }, warnings, exposure });
    return false;
  };
}
