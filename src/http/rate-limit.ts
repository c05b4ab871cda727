// Failed token lookups, limited per remote address: a token bucket per address that only failures
// draw from. Successful pings never draw from it and are never refused, so a scanner sharing an
// address with real jobs (a NAT, a proxy without trust-proxy) cannot silence them and cause false
// alerts. What it buys: a scanner is told to back off (429, Retry-After), costs no more than a map
// lookup per guess, and is named once in the log, where fail2ban or a firewall can act on it.
// Guessing itself is hopeless either way: tokens are at least 16 characters, generated ones 128 bits.

export interface FailureLimits {
  /** Failures an address may make at once. */
  readonly burst: number;
  /** One more failure is allowed after each of these. */
  readonly refillMs: number;
  /** Addresses remembered at most: memory stays bounded under a scan from many addresses. */
  readonly maxAddresses: number;
}

export const DEFAULT_FAILURE_LIMITS: FailureLimits = {
  burst: 20,
  refillMs: 1_000,
  maxAddresses: 10_000,
};

interface Bucket {
  /** Failures still allowed, as of `at`. */
  allowance: number;
  at: number;
  /** Already named in the log while over the limit. */
  reported: boolean;
}

export class FailureLimiter {
  readonly #limits: FailureLimits;
  readonly #buckets = new Map<string, Bucket>();

  constructor(limits: FailureLimits = DEFAULT_FAILURE_LIMITS) {
    this.#limits = limits;
  }

  /** Addresses currently remembered. */
  get size(): number {
    return this.#buckets.size;
  }

  /**
   * Records a failed lookup from `address` at `now`. Returns 0 when it is within the limit, or
   * how many ms the address should wait before its next attempt; `first` is true the first time
   * the address goes over the limit (to log it once).
   */
  fail(address: string, now: number): { retryAfterMs: number; first: boolean } {
    const bucket = this.#refilled(address, now);
    if (bucket.allowance >= 1) {
      bucket.allowance -= 1;
      bucket.reported = false;
      return { retryAfterMs: 0, first: false };
    }
    const first = !bucket.reported;
    bucket.reported = true;
    return { retryAfterMs: Math.ceil((1 - bucket.allowance) * this.#limits.refillMs), first };
  }

  /**
   * How many ms `address` must wait before its next attempt counts, as of `now`: 0 when it has an
   * attempt left. Draws nothing, so a refused attempt neither spends nor earns allowance.
   */
  waitMs(address: string, now: number): number {
    const bucket = this.#buckets.get(address);
    if (bucket === undefined) return 0;
    const allowance = Math.min(
      this.#limits.burst,
      bucket.allowance + Math.max(0, now - bucket.at) / this.#limits.refillMs,
    );
    return allowance >= 1 ? 0 : Math.ceil((1 - allowance) * this.#limits.refillMs);
  }

  #refilled(address: string, now: number): Bucket {
    const { burst, refillMs, maxAddresses } = this.#limits;
    let bucket = this.#buckets.get(address);
    if (bucket === undefined) {
      // Full: forget the address that failed least recently (Map order is insertion order).
      if (this.#buckets.size >= maxAddresses) {
        const oldest = this.#buckets.keys().next().value;
        if (oldest !== undefined) this.#buckets.delete(oldest);
      }
      bucket = { allowance: burst, at: now, reported: false };
    } else {
      this.#buckets.delete(address);
      // max(0, ...): a wall clock that jumps back must not take allowance away.
      const earned = Math.max(0, now - bucket.at) / refillMs;
      bucket.allowance = Math.min(burst, bucket.allowance + earned);
      bucket.at = now;
    }
    this.#buckets.set(address, bucket);
    return bucket;
  }
}
