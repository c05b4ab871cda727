// Gatus: its YAML config. Only `external-endpoints` are pushed to (the others are probes Gatus
// makes itself). Each keeps its key `<group>_<name>` as the slug, so the push URL
// /api/v1/endpoints/<key>/external stays the same, and its token; alert providers under
// `alerting:` become hooks where overdue has a preset.
import { parse } from 'yaml';
import { goDurationMs } from '../../http/ping-routes.js';
import { formatDuration } from '../../core/duration.js';
import type { Imported, ImportedHook, ImportedMonitor } from './model.js';
import { keptToken, SLUG, slugOf, uniqueSlug, validTags } from './model.js';

interface Endpoint {
  readonly name?: string;
  readonly group?: string;
  readonly enabled?: boolean;
  readonly token?: string;
  readonly heartbeat?: { readonly interval?: string };
  readonly alerts?: readonly {
    readonly type?: string;
    readonly enabled?: boolean;
    readonly 'failure-threshold'?: number;
  }[];
}

type Provider = Readonly<Record<string, unknown>>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Gatus' key of an endpoint (config/key): lower case, ` /_,.#+&` as `-`. */
function sanitize(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[/_,. #+&]/g, '-');
}

/** The overdue hook for an alerting provider, or why there is none. */
function hookConfig(type: string, p: Provider): Record<string, unknown> | string {
  const url = str(p['webhook-url']);
  switch (type) {
    case 'discord':
      return url ? { discord: { url } } : 'no webhook-url';
    case 'slack':
      return url ? { slack: { url } } : 'no webhook-url';
    case 'ntfy':
      if (!str(p.topic)) return 'no topic';
      return {
        ntfy: {
          url: str(p.url) ?? 'https://ntfy.sh',
          topic: p.topic,
          ...(str(p.token) ? { token: p.token } : {}),
        },
      };
    case 'telegram':
      // The chat id is a number in most configs (YAML reads -100123 as one).
      return str(p.token) && (typeof p.id === 'number' || str(p.id))
        ? { telegram: { 'bot-token': p.token, 'chat-id': String(p.id) } }
        : 'no token or id';
    case 'pushover':
      return str(p['user-key']) && str(p['application-token'])
        ? { pushover: { user: p['user-key'], token: p['application-token'] } }
        : 'no user-key or application-token';
    case 'gotify':
      return str(p['server-url']) && str(p.token)
        ? { gotify: { url: p['server-url'], token: p.token } }
        : 'no server-url or token';
    case 'matrix':
      if (!str(p['server-url']) || !str(p['access-token']) || !str(p['internal-room-id']))
        return 'no server-url, access-token or internal-room-id';
      return {
        matrix: {
          homeserver: p['server-url'],
          'access-token': p['access-token'],
          'room-id': p['internal-room-id'],
        },
      };
    case 'custom':
      return str(p.url)
        ? {
            webhook: {
              url: p.url,
              ...(str(p.method) ? { method: String(p.method).toUpperCase() } : {}),
            },
          }
        : 'no url';
    default:
      return 'no overdue preset: use a webhook or command hook';
  }
}

function hooksOf(alerting: Record<string, Provider>, notes: string[]): Map<string, ImportedHook> {
  const hooks = new Map<string, ImportedHook>();
  for (const [type, provider] of Object.entries(alerting)) {
    const config = hookConfig(type, provider ?? {});
    if (typeof config === 'string') notes.push(`alerting.${type}: ${config}: left out`);
    else hooks.set(type, { name: type, config, notes: [] });
  }
  return hooks;
}

function monitorOf(
  e: Endpoint,
  hooks: Map<string, ImportedHook>,
  taken: Set<string>,
): ImportedMonitor {
  const notes: string[] = [];
  const name = e.name ?? '';
  // Without a group the key is `_<name>`; a slug cannot start with `_`, and the push route looks
  // `_<name>` up as `<name>`.
  const key = e.group ? `${sanitize(e.group)}_${sanitize(name)}` : sanitize(name);
  const slug = uniqueSlug(SLUG.test(key) ? key : slugOf(key), taken, 'endpoint');
  if (slug !== key)
    notes.push(
      `Gatus key '${e.group ? key : `_${key}`}' is not a valid slug: the push URL changes to /api/v1/endpoints/${slug}/external`,
    );
  if (e.enabled === false)
    notes.push('disabled in Gatus: not armed until its first ping (wait-for-first-ping)');
  const intervalMs = e.heartbeat?.interval ? goDurationMs(e.heartbeat.interval) : NaN;
  if (Number.isNaN(intervalMs) || intervalMs <= 0)
    notes.push(
      'no heartbeat.interval in Gatus (it alerted only on failed pushes): 1d is a placeholder, set the period the job runs at',
    );
  const alerts = (e.alerts ?? []).filter((a) => a.enabled !== false);
  const notify = [
    ...new Set(alerts.flatMap((a) => (hooks.has(a.type ?? '') ? [a.type ?? ''] : []))),
  ];
  for (const a of alerts)
    if (!hooks.has(a.type ?? ''))
      notes.push(`alert of type '${a.type}' has no hook (see the notes at the top)`);
  // Gatus' default failure-threshold is 3; the strictest alert that became a hook decides.
  const mapped = alerts.filter((a) => hooks.has(a.type ?? ''));
  const threshold = Math.min(...mapped.map((a) => a['failure-threshold'] ?? 3));
  return {
    slug,
    name: name || null,
    schedule: {
      every: Number.isNaN(intervalMs) || intervalMs <= 0 ? '1d' : formatDuration(intervalMs),
    },
    // Gatus alerts as soon as the interval passes without an update.
    grace: '0s',
    alertAfter: mapped.length > 0 ? threshold : null,
    tags: validTags(e.group ? [e.group] : [], notes),
    token: keptToken(e.token, 'the token', notes),
    notify,
    waitForFirstPing: e.enabled === false,
    notes,
  };
}

/** Reads `external-endpoints` and `alerting` out of a Gatus config file's text. */
export function importGatus(text: string, source: string): Imported {
  const config = (parse(text) ?? {}) as {
    'external-endpoints'?: Endpoint[];
    endpoints?: unknown[];
    alerting?: Record<string, Provider>;
  };
  const notes: string[] = [];
  const hooks = hooksOf(config.alerting ?? {}, notes);
  if (Array.isArray(config.endpoints) && config.endpoints.length > 0)
    notes.push(
      `left out: ${config.endpoints.length} endpoint(s) Gatus probes itself: overdue receives pushes, it does not probe`,
    );
  const taken = new Set<string>();
  const monitors = (config['external-endpoints'] ?? []).map((e) => monitorOf(e, hooks, taken));
  const used = new Set(monitors.flatMap((m) => m.notify));
  return {
    source,
    monitors,
    hooks: [...hooks.values()].filter((h) => used.has(h.name)),
    notes,
    appendix: null,
  };
}
