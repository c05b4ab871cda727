// What a preset is: a hook kind for one service, declared in one file with its config schema and
// the request that service documents. HTTP presets share the sending, retries and error handling
// of webhooks; they only say what to send.
import { convert, type Schema } from '../schema-kit/schema.js';
import type { Alert } from '../core/alert.js';
import type { AlertEvent } from '../core/types.js';
import { alertView, monitorUrl } from './text/alert-view.js';
import type { DeliveryResult } from '../core/hook.js';
import type { HttpRequest } from './transport/http-exchange.js';
import { sendHttp } from './transport/http-send.js';
import { renderTemplate, type Template } from './text/template.js';
import type { HookCommon, HookKind } from './hook-kind.js';

export interface Preset<O> {
  /** For the JSON Schema and editors. */
  readonly description: string;
  readonly defaultTimeoutMs: number;
  readonly schema: Schema<O>;
  /** Where alerts go, for people: never a secret. */
  target(options: O): string;
  deliver(options: O, alert: Alert, hook: HookCommon): Promise<DeliveryResult>;
}

/** A hook of a preset: `kind` is the preset's key in registry.ts, `options` what its schema made. */
export type PresetConfig<K extends string, O> = HookCommon & {
  readonly kind: K;
  readonly options: O;
};

/** The preset as the hook kind `kind`: its key holds the options, its hooks deliver with them. */
export function presetKind<K extends string, O>(
  kind: K,
  preset: Preset<O>,
): HookKind<PresetConfig<K, O>> {
  return {
    description: preset.description,
    defaultTimeoutMs: preset.defaultTimeoutMs,
    schema: convert(preset.schema, (options) => ({ kind, options })),
    create: (config) => ({
      name: config.name,
      target: preset.target(config.options),
      deliver: (alert) => preset.deliver(config.options, alert, config),
    }),
  };
}

/** The words of one alert, after the preset's title and message templates. */
export interface AlertTexts {
  readonly alert: Alert;
  readonly title: string;
  readonly message: string;
  /** The monitor's page, when server.public-url is set. */
  readonly url: string | null;
}

interface HttpPresetDefinition<O> {
  readonly description: string;
  readonly schema: Schema<O>;
  target(options: O): string;
  /** Option values that must never appear in an error message. */
  secrets(options: O): readonly string[];
  request(options: O, texts: AlertTexts, hook: HookCommon): HttpRequest;
}

export function httpPreset<O extends { readonly title: Template; readonly message: Template }>(
  def: HttpPresetDefinition<O>,
): Preset<O> {
  return {
    description: def.description,
    defaultTimeoutMs: 10_000,
    schema: def.schema,
    target: (options) => def.target(options),
    deliver(options, alert, hook) {
      const request = def.request(options, alertTexts(options, alert, hook), hook);
      return sendHttp(request, { timeoutMs: hook.timeoutMs, secrets: def.secrets(options) });
    },
  };
}

export function alertTexts(
  options: { readonly title: Template; readonly message: Template },
  alert: Alert,
  hook: HookCommon,
): AlertTexts {
  const view = alertView(alert, hook);
  const title = renderTemplate(options.title, view, 'text');
  const message = renderTemplate(options.message, view, 'text');
  return { alert, title, message, url: monitorUrl(alert, hook) };
}

export function jsonRequest(
  method: string,
  url: string,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): HttpRequest {
  return {
    method,
    url,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

const red = '#d93025';
/** How each event looks where a service has colours or emoji: down is red, late amber, up green. */
export const eventStyle: Readonly<
  Record<AlertEvent, { readonly emoji: string; readonly color: string }>
> = {
  down: { emoji: '🔴', color: red },
  'start-overdue': { emoji: '🔴', color: red },
  fail: { emoji: '🔴', color: red },
  reminder: { emoji: '🔁', color: red },
  late: { emoji: '🟡', color: '#f9ab00' },
  up: { emoji: '✅', color: '#1e8e3e' },
};

/** The style of `event`, also for an event this version does not know (a stored newer alert). */
export function styleOf(event: AlertEvent): { readonly emoji: string; readonly color: string } {
  return eventStyle[event] ?? eventStyle.down;
}

/** For HTML bodies (Telegram, Matrix): the characters that would start markup. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
