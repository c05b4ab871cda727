// The server settings the HTTP side reads: built by the daemon from the config (once per reload,
// and when it knows where it listens), so the ping path reads fields, never rebuilds them.
import type { Tokens } from './auth.js';

export interface HttpSettings extends Tokens {
  /** Secret for /ping/<ping-key>/<slug> URLs; null disables those URLs. */
  readonly pingKey: string | null;
  /** Bytes of a ping's body kept as its output. */
  readonly bodyLimit: number;
  /** Honour X-Forwarded-For for the remote address. */
  readonly trustProxy: boolean;
  /** public-url when set, else where this server listens; no trailing slash. */
  readonly baseUrl: string;
  /** The config file: APIs that may not change what it owns name it in their refusals. */
  readonly configFile: string;
}
