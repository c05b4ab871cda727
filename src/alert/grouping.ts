// Grouped alerts (a hook's `group:`): the dispatcher collects a grouped hook's due rows, and the
// first of them opens a window. The group is sent when `wait` has passed since the window opened
// or when `max` rows are in hand, whichever comes first. Time is an argument: the dispatcher's
// `now`, and its timer (wakeAt) for a window's end.
import type { Hook, HookGroup } from '../core/hook.js';

/**
 * How the hook groups, or undefined: one delivery per alert. A hook whose kind cannot deliver a
 * group (no deliverGroup) delivers each alert on its own.
 */
export function groupOf(hook: Hook | undefined): HookGroup | undefined {
  return hook?.deliverGroup === undefined ? undefined : hook.group;
}

interface Window {
  readonly openedAt: number;
  /** The hook's wait as last seen: a reload may change it while the window is open. */
  waitMs: number;
}

/** The open window of each grouped hook: when its first row not yet sent was in hand. */
export class GroupWindows {
  readonly #open = new Map<string, Window>();

  /** Opens the hook's window at `now` when rows are in hand and none is open; closes it when none is. */
  update(hook: string, group: HookGroup, queued: number, now: number): void {
    const open = this.#open.get(hook);
    if (queued === 0) this.#open.delete(hook);
    else if (open === undefined) this.#open.set(hook, { openedAt: now, waitMs: group.waitMs });
    else open.waitMs = group.waitMs;
  }

  /** Whether a group is due now: `max` rows in hand, or `wait` passed since the window opened. */
  due(hook: string, group: HookGroup, queued: number, now: number): boolean {
    const open = this.#open.get(hook);
    if (open === undefined || queued === 0) return false;
    return queued >= group.max || now >= open.openedAt + group.waitMs;
  }

  /**
   * A group was taken, `left` rows stay in hand (more than a reload's smaller `max`): they have
   * waited since the window opened, so it stays open; with none left it closes.
   */
  taken(hook: string, left: number): void {
    if (left === 0) this.#open.delete(hook);
  }

  /** When the hook's open window ends; null when none is open. */
  endsAt(hook: string): number | null {
    const open = this.#open.get(hook);
    return open === undefined ? null : open.openedAt + open.waitMs;
  }

  /** The earliest end of a window after `now` (the dispatcher's next wake); null when none. */
  nextEnd(now: number): number | null {
    let next: number | null = null;
    for (const { openedAt, waitMs } of this.#open.values()) {
      const at = openedAt + waitMs;
      if (at > now && (next === null || at < next)) next = at;
    }
    return next;
  }

  /** The hook no longer groups, or has left the config. */
  forget(hook: string): void {
    this.#open.delete(hook);
  }
}
