// The alerts of a hook that left the config (renamed or removed by a reload, or gone across a
// restart). Renaming a hook is a routine edit, so its pending alerts are never given up: each goes
// to the hooks its monitor notifies now that do not have it yet (once: a copy per hook, the row
// marked moved), or, when the monitor notifies no hook (or is gone), is held, visibly, until one
// does or a hook of the old name returns.
import type { Rehoming, StrandedAlert, StrandedAlertStore } from '../engine/ports.js';
import type { Logger } from '../platform/log.js';

/** What a rehoming did, per hook that left the config, for the log. */
export interface RehomeSummary {
  readonly moved: Map<string, { readonly to: Set<string>; alerts: number }>;
  readonly held: Map<string, { readonly monitors: Set<string>; alerts: number }>;
  readonly released: Map<string, number>;
}

export interface RehomePlan {
  readonly rehomings: Rehoming[];
  readonly summary: RehomeSummary;
}

/**
 * Decides what becomes of each stranded alert. `hooks` are the config's hooks; `notifyOf` gives a
 * monitor's `notify` list, null when the monitor is no longer in the config.
 */
export function planRehoming(
  stranded: readonly StrandedAlert[],
  hooks: ReadonlySet<string>,
  notifyOf: (monitor: string) => readonly string[] | null,
): RehomePlan {
  const rehomings: Rehoming[] = [];
  const summary: RehomeSummary = { moved: new Map(), held: new Map(), released: new Map() };
  // Per transition, the hooks that have its alert: two stranded rows of one alert go out once.
  const having = new Map<number, Set<string>>();
  for (const alert of stranded) {
    if (hooks.has(alert.hook)) {
      // Held, and its hook is back under the same name.
      rehomings.push({ kind: 'release', outboxId: alert.id });
      summary.released.set(alert.hook, (summary.released.get(alert.hook) ?? 0) + 1);
      continue;
    }
    const notify = (notifyOf(alert.monitor) ?? []).filter((h) => hooks.has(h));
    if (notify.length === 0) {
      hold(alert, rehomings, summary);
      continue;
    }
    let have = having.get(alert.transitionId);
    if (have === undefined) having.set(alert.transitionId, (have = new Set(alert.siblings)));
    const to = notify.filter((h) => !have.has(h));
    for (const h of to) have.add(h);
    const gone = `hook '${alert.hook}' is no longer in the config`;
    const note =
      to.length > 0
        ? `${gone}; moved to ${to.join(', ')}`
        : `${gone}; the monitor's hooks (${notify.join(', ')}) have this alert already`;
    rehomings.push({ kind: 'move', outboxId: alert.id, to, note });
    const moved = summary.moved.get(alert.hook) ?? { to: new Set<string>(), alerts: 0 };
    for (const h of to) moved.to.add(h);
    moved.alerts++;
    summary.moved.set(alert.hook, moved);
  }
  return { rehomings, summary };
}

/** Held: noted once, when it becomes held; counted every time, so every rehoming logs it. */
function hold(alert: StrandedAlert, rehomings: Rehoming[], summary: RehomeSummary): void {
  if (alert.state === 'pending') {
    const note =
      `held: hook '${alert.hook}' is no longer in the config and monitor '${alert.monitor}' ` +
      `notifies no hook; sent when it does, or when a hook named '${alert.hook}' returns`;
    rehomings.push({ kind: 'hold', outboxId: alert.id, note });
  }
  const held = summary.held.get(alert.hook) ?? { monitors: new Set<string>(), alerts: 0 };
  held.monitors.add(alert.monitor);
  held.alerts++;
  summary.held.set(alert.hook, held);
}

export interface RehomingOptions {
  readonly store: StrandedAlertStore;
  /** A monitor's `notify` list; null when the monitor is no longer in the config. */
  readonly notifyOf: (monitor: string) => readonly string[] | null;
}

// A rehoming that could not be written (disk full, database locked) is tried again after this long.
const RETRY_MS = 5_000;

/**
 * Whether the outbox may hold stranded alerts (after a start, a reload, or an attempt by a hook
 * that has since left), and their rehoming when it does.
 */
export class Rehomer {
  readonly #options: RehomingOptions | undefined;
  readonly #log: Logger;
  #due = false;

  /** Without options, alerts of hooks that left stay pending, never attempted. */
  constructor(options: RehomingOptions | undefined, log: Logger) {
    this.#options = options;
    this.#log = log;
  }

  /** The outbox may now hold alerts of hooks no longer in the config. */
  mark(): void {
    this.#due = this.#options !== undefined;
  }

  /**
   * Rehomes what is stranded, leaving out the `busy` rows (in the dispatcher's hands). Returns
   * whether some became deliverable, and when to try again if the write failed.
   */
  run(
    hooks: ReadonlyMap<string, unknown>,
    busy: (outboxId: number) => boolean,
    now: number,
  ): { deliverable: boolean; retryAt: number | null } {
    if (!this.#due || this.#options === undefined) return { deliverable: false, retryAt: null };
    try {
      const names = new Set(hooks.keys());
      const deliverable = rehomeStranded(this.#options, names, busy, now, this.#log);
      this.#due = false;
      return { deliverable, retryAt: null };
    } catch (error) {
      this.#log.error(
        'cannot rehome the alerts of hooks no longer in the config; retrying in 5 s',
        {
          error: String(error),
        },
      );
      return { deliverable: false, retryAt: now + RETRY_MS };
    }
  }
}

/**
 * Finds the stranded alerts (leaving out the `busy` ones), writes what becomes of them, and logs
 * it. Returns true when some became deliverable (moved or released). Throws, having written
 * nothing, when the store does.
 */
function rehomeStranded(
  o: RehomingOptions,
  hooks: ReadonlySet<string>,
  busy: (outboxId: number) => boolean,
  now: number,
  log: Logger,
): boolean {
  const stranded = o.store.strandedAlerts([...hooks]).filter((a) => !busy(a.id));
  if (stranded.length === 0) return false;
  const { rehomings, summary } = planRehoming(stranded, hooks, o.notifyOf);
  o.store.rehomeAlerts(rehomings, now);
  logRehoming(log, summary);
  return summary.moved.size > 0 || summary.released.size > 0;
}

function logRehoming(log: Logger, summary: RehomeSummary): void {
  for (const [hook, { to, alerts }] of summary.moved)
    log.info('alerts of a hook no longer in the config moved to the hooks their monitors notify', {
      hook,
      to: [...to].join(','),
      alerts,
    });
  // Every time it is found: an alert held is an alert not sent, until the operator acts.
  for (const [hook, { monitors, alerts }] of summary.held)
    log.warn(
      'alerts held: their hook is no longer in the config and their monitor notifies no hook',
      {
        hook,
        monitors: [...monitors].join(','),
        alerts,
      },
    );
  for (const [hook, alerts] of summary.released)
    log.info('held alerts given back to their hook, in the config again', { hook, alerts });
}
