// Loading the config for `serve`, and reloading it on SIGHUP or a change of the file. A reload
// applies the new config only when it is valid; whatever else happens (a problem in the file, a
// file that cannot be read, an error thrown while loading or applying it) the daemon keeps running
// the config it has, and says so in the log.
import type { Logger } from '../platform/log.js';
import type { Env } from '../schema-kit/env.js';
import {
  formatProblem,
  loadConfig,
  type FileLoadResult,
  type ParseOptions,
} from './load-config.js';
import type { Config } from './types.js';

/** How a config file is loaded: loadConfig's signature, and a signal that abandons the load. */
export type ConfigLoad = (
  file: string,
  env: Env,
  options: ParseOptions,
  signal: AbortSignal,
) => Promise<FileLoadResult>;

/** On the event loop: for the start, when nothing is served yet (a reload loads off-thread). */
const loadHere: ConfigLoad = (file, env, options) => loadConfig(file, env, options);

/**
 * The config of `file`, or null when it is invalid, cannot be read or exposes secrets (each reason
 * logged), or when `signal` abandoned the load. Never throws: an unexpected error is a reason like
 * the others.
 */
export async function loadOrReport(
  file: string,
  log: Logger,
  env: Env,
  options: ParseOptions = {},
  { load = loadHere, signal = new AbortController().signal } = {},
): Promise<Config | null> {
  try {
    const result = await load(file, env, options, signal);
    if (!result.ok) {
      for (const p of result.problems) log.error('config problem', { problem: formatProblem(p) });
      return null;
    }
    for (const p of result.warnings) log.warn('config warning', { problem: formatProblem(p) });
    const { refusal, warnings } = result.exposure;
    for (const warning of warnings) log.warn(warning);
    if (refusal === null) return result.config;
    log.error(refusal);
  } catch (error) {
    if (!signal.aborted) log.error('config could not be loaded', { file, error: errorText(error) });
  }
  return null;
}

export interface ReloaderOptions {
  readonly file: string;
  readonly log: Logger;
  readonly env: Env;
  /** The config the daemon started with (it keeps listening where that one said). */
  readonly current: Config;
  /** Applies a valid config to the daemon; a promise when it takes steps. */
  readonly apply: (config: Config) => void | Promise<void>;
  /** Notes a reload that kept the running config (for metrics). */
  readonly rejected: () => void;
  /** How the file is loaded; by default on the event loop (loadConfigOffThread takes it off). */
  readonly load?: ConfigLoad;
}

/**
 * Reloads one at a time. A request made while a reload is waiting to start joins it (that reload
 * reads the file after the request anyway); one made while a reload runs waits for it and then
 * reads the file again, so the last change is the one applied and an older read never replaces a
 * newer config. A request made while the file is still being loaded abandons that load: its text
 * is stale already, and a large file takes seconds to parse.
 */
export class Reloader {
  readonly #options: ReloaderOptions;
  #current: Config;
  #queue: Promise<void> = Promise.resolve();
  #waiting = false;
  #closed = false;
  /** Abandons the load under way. */
  #loading: AbortController | null = null;

  constructor(options: ReloaderOptions) {
    this.#options = options;
    this.#current = options.current;
  }

  /** The config applied last. */
  get current(): Config {
    return this.#current;
  }

  /** Reloads the file; resolves when the reload is done, applied or not. Never rejects. */
  request(trigger: string): Promise<void> {
    this.#loading?.abort();
    if (this.#closed || this.#waiting) return this.#queue;
    this.#waiting = true;
    this.#queue = this.#queue.then(async () => {
      this.#waiting = false;
      await this.#reload(trigger);
    });
    return this.#queue;
  }

  /** Stops reloading: abandons a load under way; resolves once a reload being applied is done. */
  close(): Promise<void> {
    this.#closed = true;
    this.#loading?.abort();
    return this.#queue;
  }

  async #reload(trigger: string): Promise<void> {
    if (this.#closed) return;
    const { file, log, env, current, load } = this.#options;
    // The daemon keeps listening where it started: a reload is judged by that address.
    const listening = { host: current.server.host, port: current.server.port };
    const loading = new AbortController();
    this.#loading = loading;
    const { signal } = loading;
    const next = await loadOrReport(file, log, env, { listening }, { load, signal });
    this.#loading = null;
    // A shutdown that began during the load: the daemon is closing, leave it alone.
    if (this.#closed) return;
    // A newer request abandoned this load: the reload queued after this one reads the file again.
    if (signal.aborted)
      return log.info('config reload restarted: the file changed again', { file });
    if (next !== null && (await this.#apply(next))) return;
    this.#options.rejected();
    log.error('config not reloaded; still running the previous one', { file, trigger });
  }

  /** Applies `next`; if that fails part-way, applies the running config again. */
  async #apply(next: Config): Promise<boolean> {
    const { apply, log } = this.#options;
    try {
      await apply(next);
      this.#current = next;
      return true;
    } catch (error) {
      log.error('applying the new config failed', { error: errorText(error) });
    }
    try {
      await apply(this.#current);
    } catch (error) {
      log.error('re-applying the previous config failed: restart overdue', {
        error: errorText(error),
      });
    }
    return false;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
