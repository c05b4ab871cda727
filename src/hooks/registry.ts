// The kinds of hook, each listed once: command, webhook and the presets. A kind declares its schema,
// its config type and its sender in one file (command.ts, webhook.ts, presets/*.ts); adding a
// preset is one new file in src/hooks/presets/ and, here, its import and its name in `presets`.
import type { Hook } from '../core/hook.js';
import { formatDuration } from '../core/duration.js';
import { object } from '../schema-kit/object.js';
import { optional } from '../schema-kit/schema.js';
import type { Field, ObjectValue } from '../schema-kit/schema.js';
import { duration } from '../schema-kit/scalars.js';
import type { Ctx } from '../schema-kit/walk-context.js';
import { command, type CommandHookConfig } from './command.js';
import { groupField, groupOf } from './group-field.js';
import type { HookBody, HookKind } from './hook-kind.js';
import { presetKind, type Preset, type PresetConfig } from './preset.js';
import { webhook, type WebhookHookConfig } from './webhook.js';
import { discord } from './presets/discord.js';
import { email } from './presets/email.js';
import { gotify } from './presets/gotify.js';
import { matrix } from './presets/matrix.js';
import { ntfy } from './presets/ntfy.js';
import { pushover } from './presets/pushover.js';
import { slack } from './presets/slack.js';
import { telegram } from './presets/telegram.js';

export { httpUrlProblem } from './fields.js';

/** The presets, by their key in a hook's config; this order is config.schema.json's. */
const presets = { ntfy, gotify, telegram, slack, discord, pushover, matrix, email };

type PresetName = keyof typeof presets;
type PresetOptions<K extends PresetName> = (typeof presets)[K] extends Preset<infer O> ? O : never;

/** A preset (ntfy, telegram, email...): its options are declared in its own file. */
export type PresetHookConfig = {
  readonly [K in PresetName]: PresetConfig<K, PresetOptions<K>>;
}[PresetName];

export type HookConfig = CommandHookConfig | WebhookHookConfig | PresetHookConfig;

type PresetKinds = { readonly [K in PresetName]: HookKind<PresetConfig<K, PresetOptions<K>>> };

// Object.fromEntries loses which key holds which preset; PresetKinds says it again.
const presetKinds = Object.fromEntries(
  Object.entries(presets).map(([name, p]) => [name, presetKind(name, p as Preset<unknown>)]),
) as PresetKinds;

export const hookKinds = { command, webhook, ...presetKinds };

type KindName = keyof typeof hookKinds;
const kindNames = Object.keys(hookKinds) as KindName[];

/**
 * The kinds seen through HookConfig, so that one loop reads them all. `create` then accepts any
 * HookConfig: the caller passes it only a config that the loader built with that kind.
 */
const kinds: Readonly<Record<KindName, HookKind<HookConfig>>> = hookKinds;

function kindFields(): Record<KindName, Field<HookBody<HookConfig>>> {
  const out: Partial<Record<KindName, Field<HookBody<HookConfig>>>> = {};
  for (const name of kindNames) out[name] = optional(kinds[name].schema, kinds[name].description);
  return out as Record<KindName, Field<HookBody<HookConfig>>>;
}

const defaultTimeouts = [...new Set(kindNames.map((name) => kinds[name].defaultTimeoutMs))]
  .map((ms) => {
    const named = kindNames.filter((name) => kinds[name].defaultTimeoutMs === ms);
    return `${formatDuration(ms)} for ${named.join(', ')}`;
  })
  .join('; ');

const hookFields = {
  ...kindFields(),
  timeout: optional(
    // An hour at most: a delivery that takes longer holds a slot for nothing, and a Node timer
    // cannot wait past ~24.8 days (it would fire at once).
    duration({ above: 0, max: 3_600_000 }),
    `How long one delivery may take, at most 1h. Default: ${defaultTimeouts}.`,
  ),
  group: groupField,
};

/** The schema of one entry under `hooks:`: exactly one kind's key, a timeout and a group. */
export const hook = object(hookFields, { exactlyOne: kindNames });

/** The hook named `name`, or undefined when its entry was invalid (problems already reported). */
export function toHookConfig(
  name: string,
  v: ObjectValue<typeof hookFields>,
  publicUrl: string | null,
  ctx: Ctx,
): HookConfig | undefined {
  for (const kind of kindNames) {
    const body = v[kind];
    if (body === undefined) continue;
    const timeoutMs = v.timeout ?? kinds[kind].defaultTimeoutMs;
    const group = groupOf(v.group, kinds[kind].groupProblem?.(body) ?? null, ctx);
    if (group === null) return undefined;
    return { ...body, name, timeoutMs, publicUrl, ...(group === undefined ? {} : { group }) };
  }
  return undefined;
}

/** The sender of a configured hook, made by its kind; every kind's hook carries its group. */
export function createHook(config: HookConfig): Hook {
  const hook = kinds[config.kind].create(config);
  return config.group === undefined ? hook : { ...hook, group: config.group };
}

export function createHooks(configs: ReadonlyMap<string, HookConfig>): Map<string, Hook> {
  return new Map([...configs].map(([name, config]) => [name, createHook(config)]));
}
