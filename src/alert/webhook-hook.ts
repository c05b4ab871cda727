// A `webhook` hook: sends the alert as JSON to a URL.
import type { WebhookHookConfig } from '../config/types.js';
import type { Alert } from '../core/alert.js';
import { VERSION } from '../version.js';
import { delivered, failed, type DeliveryResult, type Hook } from './hook.js';

export function createWebhookHook(config: WebhookHookConfig): Hook {
  return { name: config.name, deliver: (alert) => send(config, alert) };
}

async function send(config: WebhookHookConfig, alert: Alert): Promise<DeliveryResult> {
  let response: Response;
  try {
    response = await fetch(config.url, {
      method: config.method,
      headers: {
        'content-type': 'application/json',
        'user-agent': `overdue/${VERSION}`,
        ...config.headers,
      },
      ...(config.method === 'GET' ? {} : { body: JSON.stringify(alert) }),
      signal: AbortSignal.timeout(config.timeoutMs),
      redirect: 'follow',
    });
  } catch (error) {
    return failed(errorText(error, config.timeoutMs), false);
  }
  // Drain the body so the connection can be reused; its content is not needed.
  await response.arrayBuffer().catch(() => undefined);
  if (response.ok) return delivered;
  return failed(`HTTP ${response.status}`, isPermanent(response.status), response.status);
}

/** 4xx means the request itself is wrong and will stay wrong, except timeouts and rate limits. */
export function isPermanent(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function errorText(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError')
    return `timed out after ${timeoutMs} ms`;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
