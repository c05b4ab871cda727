// Alerts sent from memory, outside the outbox: a down the database could not record (disk full).
// One attempt per hook, no retry (the outbox retries once the down is recorded), bounded per hook
// like the outbox's deliveries, each attempt logged.
import type { Alert } from '../core/alert.js';
import { failed, type DeliveryResult, type Hook } from '../core/hook.js';
import type { Logger } from '../platform/log.js';

export class UnrecordedSender {
  readonly #hooks: () => ReadonlyMap<string, Hook>;
  readonly #log: Logger;
  readonly #perHook: number;
  /** Per hook: attempts running, and those waiting for a slot. */
  readonly #slots = new Map<string, { running: number; waiting: (() => void)[] }>();
  readonly #running = new Set<Promise<unknown>>();

  constructor(hooks: () => ReadonlyMap<string, Hook>, log: Logger, perHook: number) {
    this.#hooks = hooks;
    this.#log = log;
    this.#perHook = perHook;
  }

  /** Sends `alert` once to each of `names` in the config; resolves with those that took it. */
  async send(alert: Alert, names: readonly string[]): Promise<string[]> {
    const attempts = names.map(async (name) => {
      const hook = this.#hooks().get(name);
      if (hook === undefined) return null;
      const result = await this.#attempt(hook, alert);
      const fields = { hook: name, monitor: alert.monitor.slug, event: alert.event };
      if (result.ok) this.#log.info('unrecorded alert delivered', fields);
      else this.#log.warn('unrecorded alert not delivered', { ...fields, error: result.error });
      return result.ok ? name : null;
    });
    const all = Promise.all(attempts);
    this.#running.add(all);
    try {
      return (await all).filter((n) => n !== null);
    } finally {
      this.#running.delete(all);
    }
  }

  /** Resolves when no attempt is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  async #attempt(hook: Hook, alert: Alert): Promise<DeliveryResult> {
    let slots = this.#slots.get(hook.name);
    if (slots === undefined) this.#slots.set(hook.name, (slots = { running: 0, waiting: [] }));
    const limit = hook.concurrency ?? this.#perHook;
    if (slots.running >= limit) await new Promise<void>((r) => slots.waiting.push(r));
    slots.running++;
    try {
      return await hook.deliver(alert);
    } catch (error) {
      return failed(String(error), false);
    } finally {
      slots.running--;
      slots.waiting.shift()?.();
    }
  }
}
