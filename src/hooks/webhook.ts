// A `webhook` hook: an HTTP request whose URL, header values and body are templates, filled in
// for each alert with every value escaped for where it lands. Without a body template it sends the
// alert as JSON.
import type { WebhookFormat, WebhookHookConfig } from '../config/types.js';
import type { Alert } from '../core/alert.js';
import { alertJson, alertView } from './text/alert-view.js';
import type { Hook } from '../core/hook.js';
import type { HttpRequest } from './transport/http-exchange.js';
import { httpTarget, sendHttp } from './transport/http-send.js';
import { renderTemplate } from './text/template.js';

const contentTypes: Readonly<Record<WebhookFormat, string>> = {
  json: 'application/json',
  text: 'text/plain; charset=utf-8',
  form: 'application/x-www-form-urlencoded',
};

export function createWebhookHook(config: WebhookHookConfig): Hook {
  const { down } = config.requests;
  return {
    name: config.name,
    target: httpTarget(down.method, down.url.source),
    deliver: (alert) => {
      const request = webhookRequest(config, alert);
      // Header values (Authorization) and the URL (its path or query may be a token) are secret.
      const secrets = [...Object.values(request.headers), ...urlSecrets(request.url)];
      return sendHttp(request, { timeoutMs: config.timeoutMs, secrets });
    },
  };
}

/** The request for `alert`: its event's URL, method, headers and body, with values filled in. */
export function webhookRequest(config: WebhookHookConfig, alert: Alert): HttpRequest {
  // `?? down`: an alert queued by a newer version may have an event this one does not know.
  const request = config.requests[alert.event] ?? config.requests.down;
  const view = alertView(alert, config);
  const format = request.body === null ? 'json' : config.format;
  const body =
    request.method === 'GET'
      ? null
      : request.body === null
        ? JSON.stringify(alertJson(alert, config))
        : renderTemplate(request.body, view, format);
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
