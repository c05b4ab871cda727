// Starts a worker thread from one of overdue's own modules, wherever overdue runs.
//
// A worker entry is a file named `*.worker.ts` under src/. It runs from three places:
// - compiled (dist/, `node dist/main.js`): the sibling `.worker.js` file;
// - the single executable: scripts/build-binary.mjs bundles every `*.worker.ts` into its own
//   CommonJS script and embeds it as the SEA asset `<entry>.worker.cjs` (a SEA has no files to
//   point a Worker at, so the script is evaluated from the asset);
// - the tests (vitest runs src/*.ts, which a Worker under Node 20 cannot load): the compiled copy
//   in dist/, which test/global-setup.ts builds before any test runs.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import * as sea from 'node:sea';

/** The SEA asset key of a worker entry; scripts/build-binary.mjs uses the same naming. */
export function workerAssetKey(entry: string): string {
  return `${entry}.worker.cjs`;
}

/**
 * Starts the worker whose entry is `src/<entry>.worker.ts`, e.g. `startWorker('config/parse')`.
 * `options` are Node's (workerData, resourceLimits...); `eval` is chosen here.
 */
export function startWorker(entry: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (sea.isSea()) {
    const script = sea.getAsset(workerAssetKey(entry), 'utf8');
    return new Worker(script, { ...options, eval: true });
  }
  return new Worker(compiledEntry(entry), options);
}

function compiledEntry(entry: string): URL {
  // This file is src/platform/worker.ts under the tests and dist/platform/worker.js compiled.
  const here = import.meta.url;
  const root = here.endsWith('.ts') ? new URL('../../dist/', here) : new URL('../', here);
  return new URL(`${entry}.worker.js`, root);
}
