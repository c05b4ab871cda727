// What a hook knows when it delivers an alert: the alert itself, stored when the transition
// happened, and the hook's own context, read now (its name, the server's public URL for links).
import type { Alert } from '../../core/alert.js';
import type { HookCommon } from '../hook-kind.js';
import { alertMessage, alertTitle } from './alert-text.js';
import type { TemplateView } from './template-vars.js';

/** The monitor's page on the server, or null without a public URL. */
export function monitorUrl(alert: Alert, hook: HookCommon): string | null {
  if (hook.publicUrl === null) return null;
  return `${hook.publicUrl}/monitors/${encodeURIComponent(alert.monitor.slug)}`;
}

/**
 * The alert as sent in JSON bodies and on a command's stdin: the stored alert plus its link.
 * `unrecorded` is there only on a down sent while the database could not be written.
 */
export function alertJson(
  alert: Alert,
  hook: HookCommon,
): Alert & { url: string | null; test: boolean } {
  return { ...alert, url: monitorUrl(alert, hook), test: alert.test === true };
}

/** Every template variable for `alert`. */
export function alertView(alert: Alert, hook: HookCommon): TemplateView {
  const ping = alert.ping;
  return {
    event: alert.event,
    status: alert.status,
    previous_status: alert.previous_status,
    reason: alert.reason,
    at: alert.at,
    deadline: alert.deadline,
    last_ping_at: alert.last_ping_at,
    down_since: alert.down_since ?? null,
    transition_id: alert.transition_id,
    'monitor.slug': alert.monitor.slug,
    'monitor.name': alert.monitor.name,
    'ping.at': ping?.at ?? null,
    'ping.kind': ping?.kind ?? null,
    'ping.exit_status': ping?.exit_status ?? null,
    'ping.output': ping?.output ?? null,
    // `?? null`: alerts queued by an older version lack these fields.
    'ping.duration_ms': ping?.duration_ms ?? null,
    'ping.value': ping?.value ?? null,
    url: monitorUrl(alert, hook),
    public_url: hook.publicUrl,
    hook: hook.name,
    test: alert.test === true,
    title: alertTitle(alert),
    message: alertMessage(alert),
  };
}
