// Monitors created per address, limited: a token bucket per address (rate-limit.ts) that each
// creation draws from, at POST /v1/heartbeats and at `?create=1`. The cap on created monitors
// (auto-provision.max-monitors) bounds how many there can be; this bounds how fast one address
// gets there. A ping to a monitor that exists never draws from it and is never refused.
import type { IncomingMessage } from 'node:http';
import { remoteAddr } from './remote-addr.js';
import { FailureLimiter, type FailureLimits } from './rate-limit.js';
import type { ThrottledLog } from './throttled-log.js';

export const CREATION_LIMITS: FailureLimits = { burst: 30, refillMs: 2_000, maxAddresses: 10_000 };

export interface CreationLimitDeps {
  readonly now: () => number;
  readonly trustProxy: () => boolean;
  readonly log: ThrottledLog;
}

export class CreationLimit {
  readonly #deps: CreationLimitDeps;
  readonly #limiter: FailureLimiter;

  constructor(deps: CreationLimitDeps, limits: FailureLimits = CREATION_LIMITS) {
    this.#deps = deps;
    this.#limiter = new FailureLimiter(limits);
  }

  /** Takes one creation from the request's address: 0 when it may create, else the ms to wait. */
  take(req: IncomingMessage): number {
    const address = remoteAddr(req, this.#deps.trustProxy()) ?? 'unknown';
    const { retryAfterMs } = this.#limiter.fail(address, this.#deps.now());
    if (retryAfterMs > 0)
      this.#deps.log.warn('too many monitors created from one address; refusing', { address });
    return retryAfterMs;
  }
}
