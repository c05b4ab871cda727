// The start path of a grouped hook (`group:`): its claimed rows wait in an open window (see
// grouping.ts) and are sent several at a time as one attempt (see group-attempt.ts). Each group
// taken claims the rows of the next one, so a storm keeps the hook's groups full.
import type { Hook, HookGroup } from '../core/hook.js';
import type { AttemptOptions, Finished } from './attempt.js';
import type { Claimer } from './claimer.js';
import type { Claims } from './claims.js';
import { runGroupAttempt } from './group-attempt.js';
import { GroupWindows } from './grouping.js';

export interface GroupStartsOptions {
  readonly claims: Claims;
  readonly claimer: Claimer;
  readonly attempt: AttemptOptions;
  /** Whether the dispatcher is closed: it then starts no new delivery. */
  readonly closed: () => boolean;
  /** Hands a started delivery to the dispatcher, which records it when it finishes. */
  readonly start: (hook: string, attempt: Promise<Finished[]>) => void;
}

export class GroupStarts {
  readonly #o: GroupStartsOptions;
  readonly #windows = new GroupWindows();

  constructor(options: GroupStartsOptions) {
    this.#o = options;
  }

  /** Sends each group that is due, while the hook has room, claiming the next group's rows. */
  start(name: string, hook: Hook, group: HookGroup): void {
    const { claims, claimer, attempt } = this.#o;
    const now = attempt.now();
    this.#windows.update(name, group, claims.queued(name), now);
    while (!this.#o.closed() && claims.running(name) < claimer.limit(name)) {
      if (!this.#windows.due(name, group, claims.queued(name), now)) return;
      const items = claims.startGroup(name, group.max);
      this.#windows.taken(name, claims.queued(name));
      this.#o.start(name, runGroupAttempt(items, hook, attempt));
      claimer.claim(name, now);
      this.#windows.update(name, group, claims.queued(name), now);
    }
  }

  /** When the earliest open window ends after `now` (the dispatcher's next wake); null when none. */
  nextEnd(now: number): number | null {
    return this.#windows.nextEnd(now);
  }

  /** The hook no longer groups, or has left the config: its window closes. */
  forget(hook: string): void {
    this.#windows.forget(hook);
  }
}
