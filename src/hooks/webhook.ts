// A `webhook` hook: an HTTP request whose URL, header values and body are templates, filled in
// for each alert with every value escaped for where it lands. Its config is a URL, or { url, method,
// headers, format, body, events }, where `events` overrides any of them for down or up. Without a
// body template it sends the alert as JSON. Grouped (`group:`), it sends one request for several
// alerts: the first one's URL and headers, and a JSON array of each alert's body.
import { renderTemplate, type Template } from './text/template.js';
import { sampleView } from './text/template-vars.js';
import { alertJson, alertView } from './text/alert-view.js';
import type { Alert } from '../core/alert.js';
import type { Hook } from '../core/hook.js';
import type { AlertEvent } from '../core/types.js';
import type { Ctx } from '../schema-kit/walk-context.js';
import { byShape, mapOf, type KeyRule } from '../schema-kit/collections.js';
import { object } from '../schema-kit/object.js';
import { convert, located, optional, required, withDefault } from '../schema-kit/schema.js';
import type { Field, Located, ObjectValue, Schema } from '../schema-kit/schema.js';
import { oneOfValues } from '../schema-kit/scalars.js';
import { alertEvents, settingFor, template, urlTemplate } from './fields.js';
import type { HookBody, HookCommon, HookKind } from './hook-kind.js';
import type { HttpRequest } from './transport/http-exchange.js';
import { httpTarget, sendHttp } from './transport/http-send.js';

/** How a webhook body template is written, and so how values are escaped in it. */
export type WebhookFormat = 'json' | 'text' | 'form';

/** One request of a webhook: its URL, header values and body are templates. */
export interface WebhookRequest {
  readonly url: Template;
  readonly method: string;
  readonly headers: Readonly<Record<string, Template>>;
  /** Null: the alert as JSON. */
  readonly body: Template | null;
}

export interface WebhookHookConfig extends HookCommon {
  readonly kind: 'webhook';
  readonly format: WebhookFormat;
  /** The request for each event, with the `events` overrides already applied. */
  readonly requests: Readonly<Record<AlertEvent, WebhookRequest>>;
}

type WebhookBody = HookBody<WebhookHookConfig>;

const methods = ['POST', 'PUT', 'PATCH', 'GET'] as const;
const formats = ['json', 'text', 'form'] as const;

const headerName: KeyRule = {
  noun: 'header name',
  pattern: /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/,
  maxLength: 256,
  hint: "letters, digits and !#$%&'*+.^_`|~-",
};

const lineBreak = (s: string): string | null =>
  /[\r\n]/.test(s) ? 'a header value must not contain a line break' : null;

const headers = mapOf(template({ allowEmpty: true, check: lineBreak }), headerName, {
  description: 'Request headers; values are templates.',
});

type Overrides = ObjectValue<typeof overrideFields>;

const overrideFields = {
  url: optional(urlTemplate, 'URL template for this event.'),
  method: optional(oneOfValues(methods), 'HTTP method for this event.'),
  headers: optional(headers, 'Headers for this event, added to (or replacing) the others.'),
  body: optional(located(template({ allowEmpty: true })), 'Body template for this event.'),
};

const fields = {
  url: required(urlTemplate, 'http(s) URL the alert is sent to; a template.'),
  method: withDefault(oneOfValues(methods), 'POST', 'HTTP method.'),
  headers: withDefault(headers, {}, 'Request headers, e.g. Authorization: "Bearer ${TOKEN}".'),
  format: optional(
    oneOfValues(formats),
    'How the body is written, and so how values in it are escaped: json, text or form. Default: from the content-type header, else json.',
  ),
  body: optional(
    located(template({ allowEmpty: true })),
    'Body template. Default: the alert as JSON.',
  ),
  events: optional(
    object(
      Object.fromEntries(
        alertEvents.map((e) => [e, optional(object(overrideFields), `Overrides for ${e} alerts.`)]),
      ) as Record<AlertEvent, Field<Overrides>>,
    ),
    'Per-event overrides of url, method, headers and body (start-overdue, fail and reminder fall back to down).',
  ),
};

const map = object(fields);

const mapForm: Schema<WebhookBody> = {
  parse(node, at, path, ctx) {
    const v = map.parse(node, at, path, ctx);
    return v === undefined ? undefined : toWebhook(v, ctx);
  },
  json: () => map.json(),
};

const schema = byShape<WebhookBody>(
  {
    scalar: convert(urlTemplate, (url) => {
      const request: WebhookRequest = { url, method: 'POST', headers: {}, body: null };
      const requests = Object.fromEntries(alertEvents.map((e) => [e, request]));
      return {
        kind: 'webhook',
        format: 'json',
        requests: requests as Record<AlertEvent, WebhookRequest>,
      };
    }),
    map: mapForm,
  },
  'a URL or a map with url, method, headers, format, body and events',
);

function toWebhook(v: ObjectValue<typeof fields>, ctx: Ctx): WebhookBody | undefined {
  const { url, method, headers: baseHeaders } = v;
  if (url === undefined || method === undefined || baseHeaders === undefined) return undefined;
  const base = { url, method, headers: baseHeaders, body: v.body ?? null };
  const format = v.format ?? formatOf(baseHeaders);
  if (base.body !== null && !bodyFits(base.body, format, ctx)) return undefined;
  const requests: Partial<Record<AlertEvent, WebhookRequest>> = {};
  let ok = true;
  for (const e of alertEvents) {
    const own = v.events?.[e];
    const overrides = own ?? v.events?.[settingFor(e)];
    // An override shared through down is checked once, with down.
    const request = toRequest(base, overrides, own === undefined && e !== 'down', format, ctx);
    if (request === undefined) ok = false;
    else requests[e] = request;
  }
  return ok
    ? { kind: 'webhook', format, requests: requests as Record<AlertEvent, WebhookRequest> }
    : undefined;
}

interface BaseRequest {
  readonly url: Template;
  readonly method: string;
  readonly headers: ReadonlyMap<string, Template>;
  readonly body: Located<Template> | null;
}

function toRequest(
  base: BaseRequest,
  o: Overrides | undefined,
  inherited: boolean,
  format: WebhookFormat,
  ctx: Ctx,
): WebhookRequest | undefined {
  if (!inherited && o?.body !== undefined && !bodyFits(o.body, format, ctx)) return undefined;
  const body = o?.body ?? base.body;
  const headers = new Map(base.headers);
  for (const [name, value] of o?.headers ?? []) {
    // Header names are case-insensitive: an override replaces the base header however it is cased.
    for (const key of headers.keys())
      if (key.toLowerCase() === name.toLowerCase()) headers.delete(key);
    headers.set(name, value);
  }
  return {
    url: o?.url ?? base.url,
    method: o?.method ?? base.method,
    headers: Object.fromEntries(headers),
    body: body?.value ?? null,
  };
}

/** The format a content-type header implies; json without one. */
function formatOf(headers: ReadonlyMap<string, Template>): WebhookFormat {
  const type = [...headers].find(([name]) => name.toLowerCase() === 'content-type')?.[1].source;
  if (type === undefined || /json/i.test(type)) return 'json';
  return /x-www-form-urlencoded/i.test(type) ? 'form' : 'text';
}

/** A JSON body must still be JSON once filled in: checked now, not at 3 a.m. */
function bodyFits(body: Located<Template>, format: WebhookFormat, ctx: Ctx): boolean {
  if (format !== 'json') return true;
  try {
    JSON.parse(renderTemplate(body.value, sampleView, 'json'));
    return true;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const message = `the body is not valid JSON once filled in (${why}); for another format set format: text or form`;
    ctx.problem(body.node, body.path, message);
    return false;
  }
}

export const webhook: HookKind<WebhookHookConfig> = {
  description:
    'HTTP request to send: a URL (the alert is POSTed to it as JSON), or { url, method, headers, format, body, events } with {{variable}} templates.',
  defaultTimeoutMs: 10_000,
  schema,
  groupProblem,
  create: createWebhookHook,
};

/**
 * A group is one request whose body is a JSON array: of each alert's JSON, or of each alert's
 * body template filled in, so the template must write JSON, and the request must have a body.
 */
function groupProblem({ format, requests }: WebhookBody): string | null {
  const all = Object.values(requests);
  if (all.some((r) => r.method === 'GET'))
    return 'a webhook sending GET has no body to list alerts in; use POST, or remove group';
  if (format !== 'json' && all.some((r) => r.body !== null))
    return `a webhook with a ${format} body cannot group its alerts: a group is sent as a JSON array; remove format and body, or remove group`;
  return null;
}

const contentTypes: Readonly<Record<WebhookFormat, string>> = {
  json: 'application/json',
  text: 'text/plain; charset=utf-8',
  form: 'application/x-www-form-urlencoded',
};

export function createWebhookHook(config: WebhookHookConfig): Hook {
  const { down } = config.requests;
  const send = (request: HttpRequest) => {
    // Header values (Authorization) and the URL (its path or query may be a token) are secret.
    const secrets = [...Object.values(request.headers), ...urlSecrets(request.url)];
    return sendHttp(request, { timeoutMs: config.timeoutMs, secrets });
  };
  return {
    name: config.name,
    target: httpTarget(down.method, down.url.source),
    deliver: (alert) => send(webhookRequest(config, alert)),
    deliverGroup: (alerts) => send(webhookGroupRequest(config, alerts)),
  };
}

/** The event's request: `?? down`, for an alert queued by a newer version with a new event. */
function requestOf(config: WebhookHookConfig, alert: Alert): WebhookRequest {
  return config.requests[alert.event] ?? config.requests.down;
}

/** The body `alert` gets alone: its body template filled in, else the alert as JSON. */
function bodyOf(config: WebhookHookConfig, alert: Alert): string {
  const { body } = requestOf(config, alert);
  if (body === null) return JSON.stringify(alertJson(alert, config));
  return renderTemplate(body, alertView(alert, config), config.format);
}

/**
 * One request for a group: the first alert's URL, method and headers (its content type too), and
 * the JSON array of each alert's body (a group is allowed only where each is JSON: groupProblem).
 */
function webhookGroupRequest(config: WebhookHookConfig, alerts: readonly Alert[]): HttpRequest {
  const [first] = alerts;
  if (first === undefined) throw new Error('a group has at least one alert');
  const body = `[${alerts.map((a) => bodyOf(config, a)).join(',')}]`;
  return { ...webhookRequest(config, first), body };
}

/** The request for `alert`: its event's URL, method, headers and body, with values filled in. */
export function webhookRequest(config: WebhookHookConfig, alert: Alert): HttpRequest {
  const request = requestOf(config, alert);
  const view = alertView(alert, config);
  const format = request.body === null ? 'json' : config.format;
  const body = request.method === 'GET' ? null : bodyOf(config, alert);
  const headers: Record<string, string> =
    body === null ? {} : { 'content-type': contentTypes[format] };
  for (const [name, value] of Object.entries(request.headers)) {
    // A configured header replaces the default one of the same name, whatever its case.
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
    }
    headers[name] = renderTemplate(value, view, 'header');
  }
  return { method: request.method, url: renderTemplate(request.url, view, 'url'), headers, body };
}

function urlSecrets(url: string): string[] {
  try {
    const u = new URL(url);
    return [u.pathname, u.search, u.username, u.password].filter((s) => s.length > 1);
  } catch {
    return [url];
  }
}
