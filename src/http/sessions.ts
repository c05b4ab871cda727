// Status page logins. The cookie holds a random session id, never the token: a cookie that leaks
// (a backup of a browser profile, a shared machine) does not give the token away, and it stops
// working at logout, at its expiry, or once the token it was opened with is rotated. Sessions
// live in memory: a restart logs everyone out, which costs a login and keeps nothing on disk.
import { randomBytes } from 'node:crypto';
import { sameSecret, secretKey } from '../platform/secret.js';

export const SESSION_COOKIE = 'overdue_session';

export interface SessionLimits {
  /** How long a session lasts from its login. */
  readonly ttlMs: number;
  /** Sessions kept at most: the oldest is ended to make room. */
  readonly max: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { ttlMs: 30 * 86_400_000, max: 10_000 };

interface Session {
  /** The digest of the token it was opened with: the session is only as good as that token. */
  readonly tokenKey: string;
  readonly expiresAt: number;
}

export class Sessions {
  readonly #now: () => number;
  readonly #limits: SessionLimits;
  /** Keyed by secretKey(id), so a lookup's timing tells nothing about a guessed id. */
  readonly #byKey = new Map<string, Session>();

  constructor(now: () => number, limits: SessionLimits = DEFAULT_SESSION_LIMITS) {
    this.#now = now;
    this.#limits = limits;
  }

  get size(): number {
    return this.#byKey.size;
  }

  get ttlMs(): number {
    return this.#limits.ttlMs;
  }

  /** Opens a session for `token` (already checked by the caller); returns its id, for the cookie. */
  open(token: string): string {
    if (this.#byKey.size >= this.#limits.max) {
      // Map order is insertion order: the first is the oldest login.
      const oldest = this.#byKey.keys().next().value;
      if (oldest !== undefined) this.#byKey.delete(oldest);
    }
    const id = randomBytes(24).toString('base64url');
    const expiresAt = this.#now() + this.#limits.ttlMs;
    this.#byKey.set(secretKey(id), { tokenKey: secretKey(token), expiresAt });
    return id;
  }

  /** True when session `id` is alive and was opened with `token`. */
  heldBy(id: string, token: string): boolean {
    const session = this.#byKey.get(secretKey(id));
    if (session === undefined) return false;
    if (this.#now() >= session.expiresAt) {
      this.close(id);
      return false;
    }
    return sameSecret(session.tokenKey, secretKey(token));
  }

  close(id: string): void {
    this.#byKey.delete(secretKey(id));
  }
}
