// A hook whose answers a test controls; each call waits for `release` when `hold` is set.
import { delivered, type DeliveryResult, type Hook } from '../../src/core/hook.js';

export class ScriptedHook implements Hook {
  calls = 0;
  answers: DeliveryResult[] = [];
  hold = false;
  readonly #held: (() => void)[] = [];
  readonly target = 'a script';
  constructor(
    readonly name: string,
    readonly concurrency?: number,
  ) {}
  async deliver(): Promise<DeliveryResult> {
    this.calls++;
    if (this.hold) await new Promise<void>((resolve) => this.#held.push(resolve));
    return this.answers.shift() ?? delivered;
  }
  /** Lets every call waiting so far finish. */
  release(): void {
    for (const r of this.#held.splice(0)) r();
  }
  get waiting(): number {
    return this.#held.length;
  }
}
