// The kinds of hook, in one registry: adding a kind is one entry here (and its HookConfig type).
import type { HookConfig } from './types.js';
import { byShape, list, mapOf } from './dsl-collections.js';
import type { KeyRule } from './dsl-collections.js';
import { object } from './dsl-object.js';
import { convert, optional, required, withDefault } from './dsl.js';
import type { Field, ObjectValue, Schema } from './dsl.js';
import { formatDuration } from './duration.js';
import { duration, oneOfValues, string } from './scalars.js';

type WithoutCommon<H> = H extends HookConfig ? Omit<H, 'name' | 'timeoutMs'> : never;
/** What a kind's own key holds; the loader adds the name and the timeout. */
export type HookBody = WithoutCommon<HookConfig>;

interface HookKind {
  readonly schema: Schema<HookBody>;
  readonly description: string;
  readonly defaultTimeoutMs: number;
}

/** The value is not echoed: a webhook URL often carries a token (Telegram, Slack, ntfy). */
export function httpUrlProblem(s: string): string | null {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return 'invalid URL (write it like https://example.com/hook)';
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? null : 'must be an http(s) URL';
}

const httpUrl = string({ check: httpUrlProblem, json: { format: 'uri' } });

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

const methods = ['POST', 'PUT', 'PATCH', 'GET'] as const;

const headerName: KeyRule = {
  noun: 'header name',
  pattern: /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/,
  maxLength: 256,
  hint: "letters, digits and !#$%&'*+.^_`|~-",
};

const lineBreak = (s: string): string | null =>
  /[\r\n]/.test(s) ? 'a header value must not contain a line break' : null;

const webhookFields = {
  url: required(httpUrl, 'http(s) URL the alert is sent to.'),
  method: withDefault(oneOfValues(methods), 'POST', 'HTTP method.'),
  headers: withDefault(
    mapOf(string({ check: lineBreak }), headerName, { description: 'Request headers.' }),
    {},
    'Request headers, e.g. Authorization: "Bearer ${TOKEN}".',
  ),
};

function toWebhook(v: ObjectValue<typeof webhookFields>): HookBody | undefined {
  if (v.url === undefined || v.method === undefined || v.headers === undefined) return undefined;
  return { kind: 'webhook', url: v.url, method: v.method, headers: Object.fromEntries(v.headers) };
}

const webhook: HookKind = {
  description: 'HTTP request to send: a URL (POSTed to), or { url, method, headers }.',
  defaultTimeoutMs: 10_000,
  schema: byShape<HookBody>(
    {
      scalar: convert(httpUrl, (url) => ({ kind: 'webhook', url, method: 'POST', headers: {} })),
      map: convert(object(webhookFields), toWebhook),
    },
    'a URL or a map with url, method and headers',
  ),
};

export const hookKinds = { command, webhook } as const;
type KindName = keyof typeof hookKinds;
const kindNames = Object.keys(hookKinds) as KindName[];

function kindFields(): Record<KindName, Field<HookBody>> {
  const out: Partial<Record<KindName, Field<HookBody>>> = {};
  for (const name of kindNames) {
    out[name] = optional(hookKinds[name].schema, hookKinds[name].description);
  }
  return out as Record<KindName, Field<HookBody>>;
}

const defaultTimeouts = kindNames
  .map((name) => `${formatDuration(hookKinds[name].defaultTimeoutMs)} for ${name}`)
  .join(', ');

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
): HookConfig | undefined {
  for (const kind of kindNames) {
    const body = v[kind];
    if (body === undefined) continue;
    return { ...body, name, timeoutMs: v.timeout ?? hookKinds[kind].defaultTimeoutMs };
  }
  return undefined;
}
