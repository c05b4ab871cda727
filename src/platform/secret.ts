// Comparing secrets (the ping key, tokens, the api and read tokens) without leaking them through
// timing. The one place that does it, so every secret is compared the same way.
import { hash } from 'node:crypto';

// One-shot hashing (crypto.hash): a Hash object per call (createHash) cost three times as much,
// and the ping path hashes once per ping (docs/performance.md, "Where the CPU of a ping goes").
function digest(text: string): string {
  return hash('sha256', text, 'base64');
}

// The configured secrets are few and compared on every ping (the ping key, a monitor's tokens):
// their digests are kept, so a comparison hashes only what the request sent. Bounded, since the
// secret side is always configured, never sent: a reload with other secrets starts it over.
const SECRET_DIGESTS = new Map<string, string>();
const MAX_KEPT = 4_096;

function digestOfSecret(secret: string): string {
  let kept = SECRET_DIGESTS.get(secret);
  if (kept === undefined) {
    if (SECRET_DIGESTS.size >= MAX_KEPT) SECRET_DIGESTS.clear();
    kept = digest(secret);
    SECRET_DIGESTS.set(secret, kept);
  }
  return kept;
}

/**
 * True when `given` is `secret`. Digests are compared, not the strings: both sides have the same
 * length whatever was sent, so neither the secret nor its length leaks through timing; and every
 * character is compared, wherever the first difference is.
 */
export function sameSecret(given: string, secret: string): boolean {
  const a = digest(given);
  const b = digestOfSecret(secret);
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/**
 * A Map key for a secret. A Map lookup compares keys byte by byte and stops at the first
 * difference, so keying by the token would let response times reveal how much of a guess was
 * right. Keyed by the SHA-256 of the token, a guess learns only how many leading bytes of an
 * unpredictable digest it matched.
 */
export function secretKey(secret: string): string {
  return digest(secret);
}
