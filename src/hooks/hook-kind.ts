// What a hook kind is, as registry.ts lists it: its description and default timeout, the schema of
// its own key in a hook's config, and how a configured hook of the kind is made.
import type { Hook, HookGroup } from '../core/hook.js';
import type { Schema } from '../schema-kit/schema.js';

/** What every hook has, whatever its kind. */
export interface HookCommon {
  readonly name: string;
  readonly timeoutMs: number;
  /** server.public-url, for links to the monitor; null when not configured. */
  readonly publicUrl: string | null;
  /** `group:` in its config; absent: one delivery per alert. */
  readonly group?: HookGroup | undefined;
}

/**
 * What a kind's own key holds; the loader adds the name, the timeout and the public URL.
 * Distributive, so that the body of a union of configs is the union of their bodies.
 */
export type HookBody<C extends HookCommon> = C extends HookCommon
  ? Omit<C, keyof HookCommon>
  : never;

export interface HookKind<C extends HookCommon> {
  /** For the JSON Schema and editors. */
  readonly description: string;
  readonly defaultTimeoutMs: number;
  readonly schema: Schema<HookBody<C>>;
  /** Why a hook of this kind, configured so, cannot group its alerts; null when it can. */
  groupProblem?(body: HookBody<C>): string | null;
  /** The sender of a hook configured with this kind. */
  create(config: C): Hook;
}
