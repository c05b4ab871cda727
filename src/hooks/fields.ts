// Schemas that hook kinds share: http(s) URLs, templates (compiled here, once, with the position
// of any problem inside them), values that differ by event, and the title/message of presets.
import { isMap, type Node } from 'yaml';
import { compileTemplate, isTemplateError, renderTemplate } from './text/template.js';
import type { Escape, Template } from './text/template.js';
import { sampleView } from './text/template-vars.js';
import type { AlertEvent } from '../core/types.js';
import type { Ctx } from '../schema-kit/walk-context.js';
import { byShape } from '../schema-kit/collections.js';
import { object, type ObjectSchema } from '../schema-kit/object.js';
import { convert, defaultOf, optional, withDefault } from '../schema-kit/schema.js';
import type { Field, Fields, JsonValue, Schema } from '../schema-kit/schema.js';
import { string } from '../schema-kit/scalars.js';

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

export const httpUrl = string({ check: httpUrlProblem, json: { format: 'uri' } });

/** A service's base URL, without trailing slashes, so that API paths can be appended. */
export const baseUrl = convert(httpUrl, (url) => url.replace(/\/+$/, ''));

export interface TemplateOptions {
  readonly allowEmpty?: boolean;
  /** A check of the source as written: a problem message, or null. */
  readonly check?: (source: string) => string | null;
  /** A check of the template filled in with sample values: a problem message, or null. */
  readonly checkSample?: (filledIn: string) => string | null;
  /** How values are escaped when filled in for checkSample. */
  readonly escape?: Escape;
}

/** A string with `{{variables}}`, compiled when the config is loaded. */
export function template(options: TemplateOptions = {}): Schema<Template> {
  const source = string({
    allowEmpty: options.allowEmpty ?? false,
    ...(options.check === undefined ? {} : { check: options.check }),
  });
  return {
    parse(node, at, path, ctx) {
      if (isMap(node) && node.flow === true) {
        // `body: {{title}}` is a YAML map of a map: the braces must be quoted.
        const message = `expected a string, got a map (quote a template that starts with {{, like '{{title}}')`;
        ctx.problem(node, path, message);
        return undefined;
      }
      const text = source.parse(node, at, path, ctx);
      if (text === undefined || node === null) return undefined;
      const t = compileTemplate(text);
      if (isTemplateError(t)) {
        ctx.problemAt(offsetIn(ctx, node, text, t.index), path, t.message);
        return undefined;
      }
      const filledIn = renderTemplate(t, sampleView, options.escape ?? 'text');
      const problem = options.checkSample?.(filledIn) ?? null;
      if (problem === null) return t;
      ctx.problem(node, path, problem);
      return undefined;
    },
    json: () => ({ ...source.json(), description: 'A template: {{variable}} is replaced.' }),
  };
}

/**
 * Where character `index` of a scalar's value was written. Escapes and folded lines make value
 * and file text differ, so the characters there are looked up in the file text; when they cannot
 * be found, the value's start will do.
 */
function offsetIn(ctx: Ctx, node: Node, value: string, index: number): number {
  const start = node.range?.[0] ?? 0;
  const written = ctx.written(node);
  const snippet = /^[^\n\\"']{1,16}/.exec(value.slice(index))?.[0];
  if (written === null || snippet === undefined) return start;
  let nth = 0;
  for (let i = value.indexOf(snippet); i !== -1 && i < index; i = value.indexOf(snippet, i + 1))
    nth++;
  let found = written.text.indexOf(snippet);
  for (; nth > 0 && found !== -1; nth--) found = written.text.indexOf(snippet, found + 1);
  return found === -1 ? start : written.offset + found;
}

export const urlTemplate = template({ escape: 'url', checkSample: httpUrlProblem });

// A record, not a list, so that an event added to AlertEvent is a compile error here until listed.
const eventOrder: Readonly<Record<AlertEvent, true>> = {
  down: true,
  'start-overdue': true,
  up: true,
  fail: true,
  late: true,
  reminder: true,
};

/** Every event, in the order the docs list them. */
export const alertEvents = Object.keys(eventOrder) as readonly AlertEvent[];

/**
 * The events that are kinds of down take down's setting unless given their own: `{ down: max }`
 * is what a run past its max-runtime, another failure and a reminder get too.
 */
export function settingFor(event: AlertEvent): AlertEvent {
  return event === 'start-overdue' || event === 'fail' || event === 'reminder' ? 'down' : event;
}

/**
 * A value per event: written once for all (`priority: high`) or per event (`{ down: max, up: low }`),
 * the others taking their default (kinds of down: down's value).
 */
export function byEvent<T>(
  value: Schema<T>,
  defaults: Readonly<Record<'down' | 'late' | 'up', JsonValue>>,
  description: string,
): Field<Readonly<Record<AlertEvent, T>>> {
  const perEvent = object(
    Object.fromEntries(alertEvents.map((e) => [e, optional(value, `For ${e} alerts.`)])),
  );
  const fallback = {
    down: defaultOf(withDefault(value, defaults.down, '')),
    late: defaultOf(withDefault(value, defaults.late, '')),
    up: defaultOf(withDefault(value, defaults.up, '')),
  };
  const map = convert(perEvent, (v) => {
    const given = v as Readonly<Partial<Record<AlertEvent, T>>>;
    const out: Partial<Record<AlertEvent, T>> = {};
    for (const e of alertEvents) {
      const own = given[e];
      const base =
        settingFor(e) === 'down' ? (given.down ?? fallback.down) : fallback[e as 'late' | 'up'];
      out[e] = own ?? base;
    }
    return out as Record<AlertEvent, T>;
  });
  const all = convert(
    value,
    (v) => Object.fromEntries(alertEvents.map((e) => [e, v])) as Record<AlertEvent, T>,
  );
  const shape = byShape({ scalar: all, map }, 'a value, or a map from events to values');
  return withDefault(shape, defaults, description);
}

type Complete<F extends Fields> = {
  readonly [K in keyof F]: F[K] extends Field<infer T> ? T : never;
};

/**
 * An object whose fields are all required or defaulted, as a value with every field present;
 * undefined when one was invalid (its problem has been reported).
 */
export function complete<F extends Fields>(schema: ObjectSchema<F>): Schema<Complete<F>> {
  const keys = Object.keys(schema.fields);
  return convert(schema, (v) =>
    keys.some((k) => v[k] === undefined) ? undefined : (v as Complete<F>),
  );
}

/** The title and message of a preset: templates, by default the ready-made texts. */
export const textFields = {
  title: withDefault(template(), '{{title}}', 'Title template. Default: "{{title}}".'),
  message: withDefault(template(), '{{message}}', 'Message template. Default: "{{message}}".'),
};

/** A secret given as a string: a token or password, best written as ${VAR}. */
export const secret = string();
