// The validated config: what the loader hands to the daemon. Durations are in ms.
import type { MonitorSpec } from '../core/types.js';

export interface ServerConfig {
  /** host:port to listen on. */
  readonly host: string;
  readonly port: number;
  /** Absolute path of the data directory (the SQLite file lives here). */
  readonly dataDir: string;
  /** Secret for /ping/<ping-key>/<slug> URLs; null disables those URLs. */
  readonly pingKey: string | null;
  /** Bytes of a ping's body kept as its output. */
  readonly bodyLimit: number;
  /** Pings kept per monitor; older ones are pruned. */
  readonly keepPings: number;
  /** Honour X-Forwarded-For for the remote address. */
  readonly trustProxy: boolean;
  readonly publicUrl: string | null;
}

export interface CommandHookConfig {
  readonly kind: 'command';
  readonly name: string;
  /** argv: a shell string is given as ['sh', '-c', string]. */
  readonly argv: readonly string[];
  readonly timeoutMs: number;
}

export interface WebhookHookConfig {
  readonly kind: 'webhook';
  readonly name: string;
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export type HookConfig = CommandHookConfig | WebhookHookConfig;

export interface MonitorConfig extends MonitorSpec {
  readonly name: string;
  /** Hook names, each one defined in `hooks`. */
  readonly notify: readonly string[];
  /** Secret for /ping/<token> URLs; null when the monitor has none. */
  readonly token: string | null;
}

export interface Config {
  /** Absolute path of the file it came from. */
  readonly file: string;
  readonly server: ServerConfig;
  readonly hooks: ReadonlyMap<string, HookConfig>;
  /** Keyed by slug, in file order. */
  readonly monitors: ReadonlyMap<string, MonitorConfig>;
}

/** One problem in a config file: `file:line:col path: message`. */
export interface ConfigProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Dotted path of the key, e.g. `monitors.nightly-backup.grace`. */
  readonly path: string;
  readonly message: string;
}
