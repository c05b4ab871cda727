// What the dispatcher is given: the outbox, the hooks of the config, its clock and timer, and the
// figures that bound its deliveries.
import type { Counters } from '../core/counters.js';
import type { Hook } from '../core/hook.js';
import type { OutboxStore } from '../engine/ports.js';
import type { Logger } from '../platform/log.js';
import type { RehomingOptions } from './rehome.js';

export interface DispatcherOptions {
  readonly outbox: OutboxStore;
  readonly hooks: () => ReadonlyMap<string, Hook>;
  readonly now: () => number;
  /**
   * Asks to be woken at `at` (null: nothing pending). The daemon gives the dispatcher a timer of
   * its own (a second Scheduler on the same clock), apart from the monitors' deadlines.
   */
  readonly wakeAt: (at: number | null) => void;
  readonly log: Logger;
  /** Where attempts are counted (metrics). */
  readonly counters?: Counters;
  readonly perHookConcurrency?: number;
  /** After this long since the alert was created, a failing delivery is given up. */
  readonly giveUpAfterMs?: number;
  readonly random?: () => number;
  /**
   * Where the alerts of a hook that left the config go (see rehome.ts); without it they stay
   * pending, never attempted, until a hook of their name returns.
   */
  readonly rehoming?: RehomingOptions;
}

/**
 * Deliveries one hook runs at once. With kept-alive connections one delivery to a nearby receiver
 * takes a few ms, so this bounds a hook to a few thousand alerts a second in a storm (4 allowed
 * ~1 300); a receiver that answers 429 is then paced by its Retry-After.
 */
export const PER_HOOK_CONCURRENCY = 16;
