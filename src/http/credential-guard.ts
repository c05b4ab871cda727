// Wrong credentials (the api-token or read-token at the login form, on the API, at POST
// /v1/heartbeats), limited per address. Unlike failed ping lookups (rate-limit.ts, advisory on
// purpose: a valid ping is never refused), a credential is checked only while its address is
// under the limit: once over, every attempt is refused until the address cools down, the right
// token too. Otherwise the limit would only slow guessing, and 429 for a wrong guess against 200
// for the right one would still answer each guess at once.
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../platform/log.js';
import { remoteAddr } from './remote-addr.js';
import { FailureLimiter, type FailureLimits } from './rate-limit.js';

export interface CredentialGuard {
  /** Ms the request's address must wait before a credential it sends is looked at; 0 when it may. */
  wait(req: IncomingMessage): number;
  /** Records a wrong credential; returns the ms to wait when that put the address over the limit. */
  failed(req: IncomingMessage): number;
}

export interface CredentialGuardDeps {
  readonly log: Logger;
  readonly now: () => number;
  /** Honour X-Forwarded-For for the address (server.trust-proxy). */
  readonly trustProxy: () => boolean;
}

export function credentialGuard(
  deps: CredentialGuardDeps,
  limits?: FailureLimits,
): CredentialGuard {
  const limiter = new FailureLimiter(limits);
  const address = (req: IncomingMessage) => remoteAddr(req, deps.trustProxy()) ?? 'unknown';
  return {
    wait: (req) => limiter.waitMs(address(req), deps.now()),
    failed: (req) => {
      const from = address(req);
      const { retryAfterMs, first } = limiter.fail(from, deps.now());
      if (first)
        deps.log.warn('too many wrong tokens; refusing every attempt until it cools down', {
          address: from,
        });
      return retryAfterMs;
    },
  };
}

/** Seconds for a Retry-After header. */
export function retryAfter(waitMs: number): string {
  return String(Math.max(1, Math.ceil(waitMs / 1000)));
}
