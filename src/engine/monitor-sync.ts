// Making the live monitor set match a config, in steps. A reload of 500 000 monitors takes seconds
// of work; done in one go it held the event loop for all of it (no pings answered, no deadline
// fired). Here it is a generator that does at most MONITORS_PER_STEP monitors per step, and
// runInSteps yields to the event loop between two steps; Monitors.sync runs the same steps at once.
//
// Between two steps the set is part old, part new, and each monitor is whole: its config, tokens
// and deadline change together. The order keeps every ping answerable:
// 1. each monitor of the config is added (armed from now) or given its new config, and its tokens
//    go into the live token map (a renamed monitor's token finds it at once) and into a new one;
// 2. the new token map, with only the config's tokens, replaces the live one;
// 3. the monitors no longer in the config stop alerting (last, so that a rename never leaves a
//    moment when neither slug is live);
// 4. what depends on the whole set (depends-on's graph) is derived again.
import type { Config, MonitorConfig } from '../config/types.js';
import { initialState } from '../core/state.js';
import type { Logger } from '../platform/log.js';
import type { Monitor } from './live-monitor.js';
import type { MonitorState } from '../core/types.js';
import type { MonitorStore } from './ports.js';

/** Monitors handled per step: each step then takes a few milliseconds. */
export const MONITORS_PER_STEP = 2_000;

/** What a sync works on: the live set of Monitors, through this narrow door. */
export interface LiveSet {
  readonly bySlug: Map<string, Monitor>;
  readonly store: MonitorStore;
  readonly log: Logger;
  /** Starts watching a monitor that is not live, from `now`; a slug with a history resumes it. */
  start(config: MonitorConfig, now: number): Monitor;
  /** From now on, tokens go into a new map as well as the live one, until swapTokens. */
  beginTokens(): void;
  setTokens(monitor: Monitor): void;
  /** Makes the new token map the live one; after it (or alone) drops the new one. */
  swapTokens(): void;
  endTokens(): void;
  arm(monitor: Monitor): void;
  disarm(slug: string): void;
  /** Notes that the set or its configs changed (badge keys are derived again). */
  changed(): void;
  /** Once the set is the config's: derives what depends on the whole set (depends-on). */
  settle(now: number): void;
}

/** The steps that make `live` match `config`; `now` is read at each step. */
export function* syncSteps(
  live: LiveSet,
  config: Config,
  now: () => number,
): Generator<void, void, void> {
  // The monitors a sync may remove: one that auto-provisioning adds meanwhile is not among them.
  const before = [...live.bySlug.keys()];
  live.beginTokens();
  try {
    // 1.
    for (const chunk of chunks(config.monitors.values())) {
      const at = now();
      const placed = live.store.transaction(() =>
        chunk.map((mc) => {
          const monitor = live.bySlug.get(mc.slug) ?? live.start(mc, at);
          monitor.config = mc;
          return monitor;
        }),
      );
      for (const monitor of placed) {
        live.setTokens(monitor);
        live.arm(monitor);
      }
      live.changed();
      yield;
    }
    // 2.
    live.swapTokens();
    // 3.
    // (Looking up 550 000 slugs took 0.6 s in one go: it is done a chunk at a time too.)
    for (const chunk of chunks(before.values())) {
      for (const slug of chunk) {
        if (config.monitors.has(slug)) continue;
        live.bySlug.delete(slug);
        live.disarm(slug);
        live.log.info('monitor removed from config; it no longer alerts', { monitor: slug });
      }
      live.changed();
      yield;
    }
    // 4. What depends on the whole set: the dependency graph.
    live.settle(now());
  } finally {
    live.endTokens();
  }
}

function* chunks<T>(items: Iterator<T>): Generator<T[]> {
  for (;;) {
    const chunk: T[] = [];
    for (let r = items.next(); !r.done; r = items.next()) {
      chunk.push(r.value);
      if (chunk.length === MONITORS_PER_STEP) break;
    }
    if (chunk.length === 0) return;
    yield chunk;
  }
}

/**
 * The monitors' rows, read once, when first needed: a sync or an auto-provisioned monitor needs
 * a row only for a slug that has one already (it comes back), and a full read of 100 000 rows
 * takes more than half a second.
 */
export class RowsOnce {
  readonly #store: MonitorStore;
  #rows: Map<string, { id: number; state: MonitorState }> | undefined;

  constructor(store: MonitorStore) {
    this.#store = store;
  }

  get loaded(): boolean {
    return this.#rows !== undefined;
  }

  get(slug: string): { id: number; state: MonitorState } | undefined {
    this.#rows ??= this.#store.loadMonitors();
    return this.#rows.get(slug);
  }
}

/**
 * Adds a monitor that is not live to `bySlug`, from `now`. A slug with a history (it was watched
 * before) carries on from it: its row is found in `rows`, read in full only then.
 */
export function startMonitor(
  store: MonitorStore,
  bySlug: Map<string, Monitor>,
  config: MonitorConfig,
  now: number,
  rows: RowsOnce,
): Monitor {
  let row = rows.loaded ? rows.get(config.slug) : undefined;
  let id = row?.id;
  if (id === undefined) {
    try {
      id = store.addMonitor(config.slug, initialState(now));
    } catch (error) {
      row = rows.get(config.slug);
      if (row === undefined) throw error;
      id = row.id;
    }
  }
  const monitor: Monitor = {
    config,
    id,
    state: row?.state ?? initialState(now),
    activeSince: now,
    measured: undefined,
  };
  bySlug.set(config.slug, monitor);
  return monitor;
}

/** Why runInSteps stopped before the end. */
export class StepsStopped extends Error {
  constructor() {
    super('stopped part-way: the daemon is shutting down');
  }
}

/**
 * Runs `steps` to their end, yielding to the event loop between two, so that pings and deadlines
 * are served in between. Stops (rejecting with StepsStopped) at the first yield after `stopped()`.
 */
export async function runInSteps(
  steps: Generator<void, void, void>,
  stopped: () => boolean,
): Promise<void> {
  try {
    while (steps.next().done !== true) {
      await new Promise((resolve) => setImmediate(resolve));
      if (stopped()) throw new StepsStopped();
    }
  } finally {
    // Runs the generator's finally blocks when it stopped part-way; nothing after its end.
    steps.return();
  }
}
