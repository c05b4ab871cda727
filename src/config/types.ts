// The validated config: what the loader hands to the daemon. Durations are in ms.
import type { HookConfig } from '../hooks/registry.js';
import type { AlertPolicy, MonitorSpec } from '../core/types.js';

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
  /** Full access: the API including writes (pause, creating monitors); null disables writing. */
  readonly apiToken: string | null;
  /** Read-only access to the API, the status page and metrics. */
  readonly readToken: string | null;
  /** Access to /metrics only. */
  readonly metricsToken: string | null;
  /** What anyone may read without a token. */
  readonly public: readonly PublicPart[];
  /** The outgoing heartbeat; null when none is configured. */
  readonly heartbeat: HeartbeatConfig | null;
}

/** server.heartbeat: overdue's own ping to an external switch, sent only while it is healthy. */
export interface HeartbeatConfig {
  readonly url: string;
  /** Where the one failure ping goes: url + /fail unless given. */
  readonly failUrl: string;
  readonly everyMs: number;
  readonly timeoutMs: number;
  readonly maxLatenessMs: number;
  readonly maxAlertAgeMs: number;
}

/** The parts of the server that `server.public` can open for reading. */
export type PublicPart = 'status-page' | 'api' | 'metrics';

/** Monitors created by pings (`?create=1`) or the API, kept in the database. */
export interface AutoProvisionConfig {
  readonly enabled: boolean;
  readonly periodMs: number;
  readonly graceMs: number;
  readonly notify: readonly string[];
  readonly policy: AlertPolicy;
  /** Created monitors running at most (those the config has not taken over). */
  readonly maxMonitors: number;
}

export interface MonitorConfig extends MonitorSpec {
  readonly name: string;
  /** Hook names, each one defined in `hooks`. */
  readonly notify: readonly string[];
  /** Secret for /ping/<token> URLs, the one to show in them (the first listed); null when none. */
  readonly token: string | null;
  /** Every token accepted: more than one while a token is rotated; empty when none. */
  readonly tokens: readonly string[];
  /** Created by auto-provisioning (kept in the database), not by the config file. */
  readonly provisioned: boolean;
  readonly tags: readonly string[];
  /** Slugs of the monitors it depends on: while one is down, its down alert is suppressed. */
  readonly dependsOn: readonly string[];
}

export interface Config {
  /** Absolute path of the file it came from. */
  readonly file: string;
  readonly server: ServerConfig;
  readonly hooks: ReadonlyMap<string, HookConfig>;
  /** Keyed by slug, in file order. */
  readonly monitors: ReadonlyMap<string, MonitorConfig>;
  readonly autoProvision: AutoProvisionConfig;
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
