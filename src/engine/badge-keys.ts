// Badge keys: unguessable, stable names for a monitor's or a tag's badge. Each key is an HMAC of
// the target under a secret generated once and kept in the database, so badge URLs need no config,
// survive restarts, and reveal neither slugs nor tags.
import { createHmac, randomBytes } from 'node:crypto';
import type { Status } from '../core/types.js';

/** What a badge shows the status of. */
export type BadgeTarget =
  | { readonly kind: 'monitor'; readonly slug: string }
  | { readonly kind: 'tag'; readonly tag: string };

// Worst first: a tag shows the worst status among its monitors.
const SEVERITY: readonly Status[] = ['down', 'late', 'running', 'up', 'new', 'paused'];

/** A new secret: 256 bits, as stored in the settings table. */
export function newBadgeSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The worst of some statuses; `new` for none. */
export function worstStatus(statuses: Iterable<Status>): Status {
  let worst = SEVERITY.length - 1;
  let any = false;
  for (const s of statuses) {
    any = true;
    worst = Math.min(worst, SEVERITY.indexOf(s));
  }
  return any ? (SEVERITY[worst] ?? 'new') : 'new';
}

export class BadgeKeys {
  readonly #secret: string;
  #byKey = new Map<string, BadgeTarget>();
  #generation = -1;

  constructor(secret: string) {
    this.#secret = secret;
  }

  /** 128 bits of HMAC-SHA256, base64url: as hard to guess as a token, short enough for a URL. */
  key(target: BadgeTarget): string {
    const name = target.kind === 'monitor' ? `monitor:${target.slug}` : `tag:${target.tag}`;
    return createHmac('sha256', this.#secret).update(name).digest('base64url').slice(0, 22);
  }

  /**
   * The target of a key among the current monitors. The keys are computed once per set of monitors
   * (`generation` changes when it does), not once per request.
   */
  resolve(
    key: string,
    generation: number,
    monitors: () => Iterable<{ readonly slug: string; readonly tags: readonly string[] }>,
  ): BadgeTarget | undefined {
    if (generation !== this.#generation) {
      this.#byKey = new Map();
      for (const m of monitors()) {
        this.#add({ kind: 'monitor', slug: m.slug });
        for (const tag of m.tags) this.#add({ kind: 'tag', tag });
      }
      this.#generation = generation;
    }
    return this.#byKey.get(key);
  }

  #add(target: BadgeTarget): void {
    this.#byKey.set(this.key(target), target);
  }
}
