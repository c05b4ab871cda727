// The depends-on graph of the live monitors, for Monitors: which parent of a monitor is down (in
// the state being written, not only the published one), the order that applies parents before
// their children when deadlines fall due together, and the children a recovering parent releases.
import { release } from '../core/dependencies.js';
import type { MonitorState } from '../core/types.js';
import type { Monitor } from './live-monitor.js';
import type { MonitorStore } from './ports.js';

/** A monitor's state as the current commit sees it: written there, or else published. */
export type StateOf = (monitor: Monitor) => MonitorState;

export class Dependents {
  readonly #parents = new Map<Monitor, readonly Monitor[]>();
  readonly #children = new Map<Monitor, Monitor[]>();
  /** 0 for a monitor without parents, else 1 + its deepest parent's. */
  readonly #depth = new Map<Monitor, number>();

  /** Rebuilds the graph for `monitors` (after a reload; the config has no cycles). */
  rebuild(monitors: Iterable<Monitor>, bySlug: (slug: string) => Monitor | undefined): void {
    this.#parents.clear();
    this.#children.clear();
    this.#depth.clear();
    for (const child of monitors) {
      const parents = child.config.dependsOn.flatMap((slug) => bySlug(slug) ?? []);
      if (parents.length === 0) continue;
      this.#parents.set(child, parents);
      for (const p of parents) this.#children.set(p, [...(this.#children.get(p) ?? []), child]);
    }
  }

  /** The slug of the first of the monitor's parents that is down, or null. */
  parentDown(monitor: Monitor, stateOf: StateOf): string | null {
    const parents = this.#parents.get(monitor);
    if (parents === undefined) return null;
    for (const p of parents) if (stateOf(p).status === 'down') return p.config.slug;
    return null;
  }

  /**
   * Parents before their children: a parent and its children due at the same moment (one outage
   * stops them all) are applied parent first, so the children see it down.
   */
  order(monitors: Monitor[]): Monitor[] {
    if (this.#parents.size === 0) return monitors;
    return monitors.sort((a, b) => this.#depthOf(a) - this.#depthOf(b));
  }

  #depthOf(monitor: Monitor): number {
    const known = this.#depth.get(monitor);
    if (known !== undefined) return known;
    this.#depth.set(monitor, 0); // no cycles, but never loop on one
    const parents = this.#parents.get(monitor) ?? [];
    const depth = parents.length === 0 ? 0 : 1 + Math.max(...parents.map((p) => this.#depthOf(p)));
    this.#depth.set(monitor, depth);
    return depth;
  }

  /**
   * A parent that left down at `now` releases the children it held: each released state is
   * written in the caller's transaction and joins `next`, the states the commit publishes.
   */
  release(
    parent: Monitor,
    before: MonitorState,
    after: MonitorState,
    now: number,
    next: Map<Monitor, MonitorState>,
    store: Pick<MonitorStore, 'saveState'>,
  ): void {
    // Every ping passes here: most leave a monitor that was not down, and release nothing.
    if (before.status !== 'down' || after.status === 'down') return;
    const stateOf: StateOf = (m) => next.get(m) ?? m.state;
    for (const [child, state] of this.released(parent, before, after, now, stateOf)) {
      store.saveState(child.id, state);
      next.set(child, state);
    }
  }

  /**
   * The children to release when `parent` went from `before` to `after` at `now`: each with its
   * new state (it alerts one grace later if still down).
   */
  released(
    parent: Monitor,
    before: MonitorState,
    after: MonitorState,
    now: number,
    stateOf: StateOf,
  ): [Monitor, MonitorState][] {
    if (before.status !== 'down' || after.status === 'down') return [];
    const out: [Monitor, MonitorState][] = [];
    for (const child of this.#children.get(parent) ?? []) {
      const next = release(stateOf(child), parent.config.slug, now);
      if (next !== null) out.push([child, next]);
    }
    return out;
  }

  /**
   * Children held by a parent that is no longer theirs (a reload removed the parent or the
   * depends-on entry): released at `now`, as if the parent had recovered.
   */
  orphans(monitors: Iterable<Monitor>, now: number): [Monitor, MonitorState][] {
    const out: [Monitor, MonitorState][] = [];
    for (const m of monitors) {
      const by = m.state.suppressedBy;
      if (by === null || m.state.releasedAt !== null || m.config.dependsOn.includes(by)) continue;
      const next = release(m.state, by, now);
      if (next !== null) out.push([m, next]);
    }
    return out;
  }
}
