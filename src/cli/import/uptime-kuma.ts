// Uptime Kuma: its SQLite database (data/kuma.db). Only push monitors (`type = 'push'`) are jobs
// pinging in; the others are probes overdue does not make, counted in a note. Column names are
// those of Uptime Kuma's schema (db/knex_init_db.js and its migrations).
import Database from 'better-sqlite3';
import type { Imported, ImportedHook, ImportedMonitor } from './model.js';
import { keptToken, seconds, slugOf, uniqueSlug, validTags } from './model.js';

interface MonitorRow {
  readonly id: number;
  readonly name: string | null;
  readonly type: string | null;
  readonly active: number;
  readonly interval: number;
  readonly retry_interval: number;
  readonly maxretries: number;
  readonly push_token: string | null;
  readonly description: string | null;
}

interface NotificationRow {
  readonly id: number;
  readonly name: string | null;
  readonly active: number;
  readonly config: string | null;
}

type Settings = Readonly<Record<string, unknown>>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The overdue hook for a notification's settings, or why there is none. */
function hookConfig(s: Settings): Record<string, unknown> | string {
  const type = str(s.type) ?? 'unknown';
  const need = (...keys: string[]) => keys.every((k) => str(s[k]) !== undefined);
  switch (type) {
    case 'ntfy':
      if (!need('ntfytopic')) return 'ntfy without a topic';
      return {
        ntfy: {
          url: str(s.ntfyserverurl) ?? 'https://ntfy.sh',
          topic: s.ntfytopic,
          ...(str(s.ntfyaccesstoken) ? { token: s.ntfyaccesstoken } : {}),
        },
      };
    case 'gotify':
      if (!need('gotifyserverurl', 'gotifyapplicationToken'))
        return 'gotify without a server or token';
      return { gotify: { url: s.gotifyserverurl, token: s.gotifyapplicationToken } };
    case 'telegram':
      if (!need('telegramBotToken', 'telegramChatID'))
        return 'telegram without a bot token or chat';
      return { telegram: { 'bot-token': s.telegramBotToken, 'chat-id': s.telegramChatID } };
    case 'slack':
      return need('slackwebhookURL')
        ? { slack: { url: s.slackwebhookURL } }
        : 'slack without a webhook URL';
    case 'discord':
      return need('discordWebhookUrl')
        ? { discord: { url: s.discordWebhookUrl } }
        : 'discord without a webhook URL';
    case 'pushover':
      if (!need('pushoveruserkey', 'pushoverapptoken')) return 'pushover without keys';
      return { pushover: { user: s.pushoveruserkey, token: s.pushoverapptoken } };
    case 'matrix':
      if (!need('homeserverUrl', 'accessToken', 'internalRoomId'))
        return 'matrix without a homeserver, token or room';
      return {
        matrix: {
          homeserver: s.homeserverUrl,
          'access-token': s.accessToken,
          'room-id': s.internalRoomId,
        },
      };
    case 'webhook':
      return need('webhookURL') ? { webhook: { url: s.webhookURL } } : 'webhook without a URL';
    default:
      return `kind '${type}' has no overdue preset: use a webhook or command hook`;
  }
}

function hooksOf(db: Database.Database, notes: string[]): Map<number, ImportedHook> {
  const rows = db
    .prepare('SELECT id, name, active, config FROM notification ORDER BY id')
    .all() as NotificationRow[];
  const hooks = new Map<number, ImportedHook>();
  const taken = new Set<string>();
  for (const row of rows) {
    let settings: Settings = {};
    try {
      settings = JSON.parse(row.config ?? '{}') as Settings;
    } catch {
      notes.push(`notification '${row.name}' (id ${row.id}): its settings are not JSON: left out`);
      continue;
    }
    const config = hookConfig(settings);
    if (typeof config === 'string') {
      notes.push(`notification '${row.name}' (id ${row.id}): ${config}: left out`);
      continue;
    }
    const hookNotes = row.active ? [] : ['disabled in Uptime Kuma: no monitor lists it'];
    const name = uniqueSlug(slugOf(row.name ?? ''), taken, 'notification');
    hooks.set(row.id, { name, config, notes: hookNotes });
  }
  return hooks;
}

function monitorOf(
  db: Database.Database,
  row: MonitorRow,
  hooks: Map<number, ImportedHook>,
  taken: Set<string>,
): ImportedMonitor {
  const notes: string[] = [];
  if (row.description)
    notes.push(`Uptime Kuma description: ${row.description.replace(/\s+/g, ' ').trim()}`);
  if (!row.active)
    notes.push('paused in Uptime Kuma: not armed until its first ping (wait-for-first-ping)');
  if (row.maxretries > 0)
    notes.push(
      `Uptime Kuma retried ${row.maxretries} time(s) every ${seconds(row.retry_interval)} before down: that is the grace; a status=down push alerts at once here (add alert-after: ${row.maxretries + 1} to hold it)`,
    );
  const tags = db
    .prepare(
      'SELECT t.name, mt.value FROM monitor_tag mt JOIN tag t ON t.id = mt.tag_id WHERE mt.monitor_id = ? ORDER BY mt.id',
    )
    .all(row.id) as { name: string; value: string | null }[];
  const links = db
    .prepare(
      'SELECT notification_id AS id FROM monitor_notification WHERE monitor_id = ? ORDER BY id',
    )
    .all(row.id) as { id: number }[];
  const notify: string[] = [];
  for (const { id } of links) {
    const hook = hooks.get(id);
    if (hook === undefined)
      notes.push(`its notification ${id} has no hook (see the notes at the top)`);
    else if (hook.notes.length === 0) notify.push(hook.name);
  }
  return {
    slug: uniqueSlug(slugOf(row.name ?? ''), taken),
    name: row.name?.trim() || null,
    schedule: { every: seconds(Math.max(row.interval, 1)) },
    grace: seconds(row.maxretries * row.retry_interval),
    alertAfter: null,
    tags: validTags(
      tags.map((t) => (t.value ? `${t.name}-${t.value}` : t.name)),
      notes,
    ),
    token: keptToken(row.push_token, 'the push token', notes),
    notify,
    waitForFirstPing: !row.active,
    notes,
  };
}

/** Reads push monitors, their tags and notifications out of a kuma.db file (read-only). */
export function importUptimeKuma(file: string): Imported {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const notes: string[] = [];
    const hooks = hooksOf(db, notes);
    const rows = db
      .prepare(
        'SELECT id, name, type, active, interval, retry_interval, maxretries, push_token, description FROM monitor ORDER BY id',
      )
      .all() as MonitorRow[];
    const others = new Map<string, number>();
    for (const r of rows)
      if (r.type !== 'push') others.set(r.type ?? '?', (others.get(r.type ?? '?') ?? 0) + 1);
    if (others.size > 0)
      notes.push(
        `left out: ${[...others].map(([t, n]) => `${n} ${t}`).join(', ')} monitor(s): overdue receives pushes, it does not probe`,
      );
    const taken = new Set<string>();
    const monitors = rows
      .filter((r) => r.type === 'push')
      .map((r) => monitorOf(db, r, hooks, taken));
    return { source: file, monitors, hooks: [...hooks.values()], notes, appendix: null };
  } finally {
    db.close();
  }
}
