// Comparing secrets (the ping key, tokens, the api and read tokens) without leaking them through
// timing. The one place that does it, so every secret is compared the same way.
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * True when `given` is `secret`. Digests are compared, not the strings: both sides have the same
 * length whatever was sent, so neither the secret nor its length leaks through timing.
 */
export function sameSecret(given: string, secret: string): boolean {
  return timingSafeEqual(digest(given), digest(secret));
}

/**
 * A Map key for a secret. A Map lookup compares keys byte by byte and stops at the first
 * difference, so keying by the token would let response times reveal how much of a guess was
 * right. Keyed by the SHA-256 of the token, a guess learns only how many leading bytes of an
 * unpredictable digest it matched.
 */
export function secretKey(secret: string): string {
  return createHash('sha256').update(secret).digest('base64');
}
