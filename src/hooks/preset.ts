// What a preset is: a hook kind for one service, declared in one file with its config schema and
// the request that service documents. HTTP presets share the sending, retries and error handling
// of webhooks; they only say what to send.
import { convert, type Schema } from '../schema-kit/schema.js';
import type { Alert } from '../core/alert.js';
import { alertView, monitorUrl } from './text/alert-view.js';
import { delivered, type DeliveryResult } from '../core/hook.js';
import type { HttpRequest } from './transport/http-exchange.js';
import { sendHttp, type SendOptions } from './transport/http-send.js';
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
  /**
   * Several alerts as one message listing them, split where the service's size limit requires;
   * one result for all (see Hook.deliverGroup).
   */
  deliverGroup(options: O, alerts: readonly Alert[], hook: HookCommon): Promise<DeliveryResult>;
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
      // A group of one reads as the alert would alone; a group of none sends nothing.
      deliverGroup: (alerts) => {
        const [first] = alerts;
        if (first === undefined) return Promise.resolve(delivered);
        if (alerts.length === 1) return preset.deliver(config.options, first, config);
        return preset.deliverGroup(config.options, alerts, config);
      },
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
  /** The requests of a group of alerts, in the order they are sent, each within the limits. */
  groupRequests(options: O, texts: readonly AlertTexts[], hook: HookCommon): HttpRequest[];
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
    deliverGroup(options, alerts, hook) {
      const texts = alerts.map((alert) => alertTexts(options, alert, hook));
      const requests = def.groupRequests(options, texts, hook);
      return sendParts(requests, { timeoutMs: hook.timeoutMs, secrets: def.secrets(options) });
    },
  };
}

/**
 * The parts of a group, in order; the first failure stops and is the result. A retry sends every
 * part again, so parts sent before a failure arrive twice (at least once, never lost).
 */
async function sendParts(
  requests: readonly HttpRequest[],
  options: SendOptions,
): Promise<DeliveryResult> {
  for (const [i, request] of requests.entries()) {
    const result = await sendHttp(request, options);
    if (result.ok) continue;
    if (requests.length === 1 || result.error === null) return result;
    return { ...result, error: `part ${i + 1} of ${requests.length}: ${result.error}` };
  }
  return delivered;
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

export { eventStyle, styleOf } from './text/event-style.js';

/** For HTML bodies (Telegram, Matrix): the characters that would start markup. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
