// The kinds of hook, in one registry: command, webhook, and the presets, each of which declares
// its own schema in src/alert/presets/ (adding a preset is one file there and one registry line).
import { presets, type PresetName } from './presets/index.js';
import type { Preset } from './preset.js';
import type { HookConfig } from '../config/types.js';
import { byShape, list } from '../schema-kit/collections.js';
import { object } from '../schema-kit/object.js';
import { convert, optional } from '../schema-kit/schema.js';
import type { Field, ObjectValue, Schema } from '../schema-kit/schema.js';
import { formatDuration } from '../core/duration.js';
import { duration, string } from '../schema-kit/scalars.js';
import { webhookSchema } from './webhook-schema.js';

export { httpUrlProblem } from './fields.js';

type WithoutCommon<H> = H extends HookConfig ? Omit<H, 'name' | 'timeoutMs' | 'publicUrl'> : never;
/** What a kind's own key holds; the loader adds the name, the timeout and the public URL. */
export type HookBody = WithoutCommon<HookConfig>;

interface HookKind {
  readonly schema: Schema<HookBody>;
  readonly description: string;
  readonly defaultTimeoutMs: number;
}

const command: HookKind = {
  description:
    'Command to run: a list of arguments (run without a shell), or a string run with sh -c. ' +
    'The alert arrives as OVERDUE_* environment variables and as JSON on stdin.',
  defaultTimeoutMs: 30_000,
  schema: byShape<HookBody>(
    {
      list: convert(list(string({ allowEmpty: true }), { minItems: 1 }), (argv) => ({
        kind: 'command',
        argv,
      })),
      scalar: convert(string(), (script) => ({ kind: 'command', argv: ['sh', '-c', script] })),
    },
    'a list of arguments or a shell command string',
  ),
};

const webhook: HookKind = {
  description:
    'HTTP request to send: a URL (the alert is POSTed to it as JSON), or { url, method, headers, format, body, events } with {{variable}} templates.',
  defaultTimeoutMs: 10_000,
  schema: webhookSchema,
};

function presetKind(name: PresetName, preset: Preset<unknown>): HookKind {
  return {
    description: preset.description,
    defaultTimeoutMs: preset.defaultTimeoutMs,
    schema: convert(preset.schema, (options) => ({ kind: name, options }) as HookBody),
  };
}

const presetKinds = Object.fromEntries(
  Object.entries(presets).map(([name, p]) => [name, presetKind(name as PresetName, p)]),
) as Record<PresetName, HookKind>;

export const hookKinds: Readonly<Record<'command' | 'webhook' | PresetName, HookKind>> = {
  command,
  webhook,
  ...presetKinds,
};
type KindName = keyof typeof hookKinds;
const kindNames = Object.keys(hookKinds) as KindName[];

function kindFields(): Record<KindName, Field<HookBody>> {
  const out: Partial<Record<KindName, Field<HookBody>>> = {};
  for (const name of kindNames) {
    out[name] = optional(hookKinds[name].schema, hookKinds[name].description);
  }
  return out as Record<KindName, Field<HookBody>>;
}

const defaultTimeouts = [...new Set(kindNames.map((name) => hookKinds[name].defaultTimeoutMs))]
  .map((ms) => {
    const kinds = kindNames.filter((name) => hookKinds[name].defaultTimeoutMs === ms);
    return `${formatDuration(ms)} for ${kinds.join(', ')}`;
  })
  .join('; ');

const hookFields = {
  ...kindFields(),
  timeout: optional(
    duration({ above: 0 }),
    `How long one delivery may take. Default: ${defaultTimeouts}.`,
  ),
};

export const hook = object(hookFields, { exactlyOne: kindNames });

/** The hook named `name`, or undefined when its entry was invalid (problems already reported). */
export function toHookConfig(
  name: string,
  v: ObjectValue<typeof hookFields>,
  publicUrl: string | null,
): HookConfig | undefined {
  for (const kind of kindNames) {
    const body = v[kind];
    if (body === undefined) continue;
    const timeoutMs = v.timeout ?? hookKinds[kind].defaultTimeoutMs;
    return { ...body, name, timeoutMs, publicUrl };
  }
  return undefined;
}
