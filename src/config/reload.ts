// Loading the config for `serve`, and reloading it on SIGHUP or a change of the file. A reload
// applies the new config only when it is valid; whatever else happens (a problem in the file, a
// file that cannot be read, an error thrown while loading or applying it) the daemon keeps running
// the config it has, and says so in the log.
import type { Logger } from '../platform/log.js';
import type { Env } from '../schema-kit/env.js';
import { formatProblem, loadConfig, type ParseOptions } from './load-config.js';
import type { Config } from './types.js';

/**
 * The config of `file`, or null when it is invalid, cannot be read or exposes secrets (each reason
 * logged). Never throws: an unexpected error is a reason like the others.
 */
export async function loadOrReport(
  file: string,
  log: Logger,
  env: Env,
  options: ParseOptions = {},
): Promise<Config | null> {
  try {
    const result = await loadConfig(file, env, options);
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
    log.error('config could not be loaded', { file, error: errorText(error) });
  }
  return null;
}

export interface ReloaderOptions {
  readonly file: string;
  readonly log: Logger;
  readonly env: Env;
  /** The config the daemon started with (it keeps listening where that one said). */
  readonly current: Config;
  /** Applies a valid config to the daemon. */
  readonly apply: (config: Config) => void;
  /** Notes a reload that kept the running config (for metrics). */
  readonly rejected: () => void;
}

/**
 * Reloads one at a time. A request made while a reload is waiting to start joins it (that reload
 * reads the file after the request anyway); one made while a reload runs waits for it and then
 * reads the file again, so the last change is the one applied and an older read never replaces a
 * newer config.
 */
export class Reloader {
  readonly #options: ReloaderOptions;
  #current: Config;
  #queue: Promise<void> = Promise.resolve();
  #waiting = false;
  #closed = false;

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
    if (this.#closed || this.#waiting) return this.#queue;
    this.#waiting = true;
    this.#queue = this.#queue.then(async () => {
      this.#waiting = false;
      await this.#reload(trigger);
    });
    return this.#queue;
  }

  /** Stops reloading; resolves once a reload under way has finished. */
  close(): Promise<void> {
    this.#closed = true;
    return this.#queue;
  }

  async #reload(trigger: string): Promise<void> {
    if (this.#closed) return;
    const { file, log, env, current } = this.#options;
    // The daemon keeps listening where it started: a reload is judged by that address.
    const listening = { host: current.server.host, port: current.server.port };
    const next = await loadOrReport(file, log, env, { listening });
    // A shutdown that began during the load: the daemon is closing, leave it alone.
    if (this.#closed) return;
    if (next !== null && this.#apply(next)) return;
    this.#options.rejected();
    log.error('config not reloaded; still running the previous one', { file, trigger });
  }

  /** Applies `next`; if that throws part-way, applies the running config again. */
  #apply(next: Config): boolean {
    const { apply, log } = this.#options;
    try {
      apply(next);
      this.#current = next;
      return true;
    } catch (error) {
      log.error('applying the new config failed', { error: errorText(error) });
    }
    try {
      apply(this.#current);
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
