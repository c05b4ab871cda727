// Auto-provisioning: monitors created by a ping (`?create=1`) or by `POST /v1/heartbeats`, kept in
// the database and marked as not from the config. The config always wins: once a slug is in the
// file (paste the output of `overdue export`), the file owns it and the row is ignored.
import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { formatDuration } from '../core/duration.js';
import type { AutoProvisionConfig, Config, MonitorConfig } from '../config/types.js';
import type { Created } from './intake.js';
import type { ProvisionedRow, ProvisionStore } from './ports.js';

export const SLUG = /^[a-z0-9][a-z0-9_-]{0,99}$/;

/** A token with 128 bits of entropy, URL-safe. */
export function newToken(): string {
  return randomBytes(16).toString('base64url');
}

/** A slug made from a display name: `Nightly DB backup!` -> `nightly-db-backup`. */
export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 90);
  return slug === '' ? 'monitor' : slug;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what it removes
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]+/g;

/**
 * A stored name as hooks can carry it. The HTTP side refuses control characters, but a row written
 * before it did may hold one (a NUL byte fails every spawn of a command hook): each run becomes a
 * space.
 */
function displayName(name: string): string {
  return name.replace(CONTROLS, ' ').trim() || 'monitor';
}

/** The monitor a provisioned row runs as: its hooks and policy are the auto-provision settings. */
export function provisionedMonitor(row: ProvisionedRow, auto: AutoProvisionConfig): MonitorConfig {
  const graceMs = row.graceMs ?? auto.graceMs;
  return {
    slug: row.slug,
    name: displayName(row.name),
    schedule: { kind: 'every', periodMs: row.periodMs ?? auto.periodMs },
    graceMs,
    maxRuntimeMs: graceMs,
    minRuntimeMs: null,
    earlyMs: null,
    waitForFirstPing: false,
    policy: auto.policy,
    notify: auto.notify,
    token: row.token,
    tokens: row.token === null ? [] : [row.token],
    provisioned: true,
    dependsOn: [],
    tags: [],
  };
}

/**
 * The monitors to run: the config's, then each provisioned one whose slug and token the config does
 * not use. Provisioned monitors take their hooks and policy from the auto-provision settings.
 */
export function withProvisioned(config: Config, rows: readonly ProvisionedRow[]): Config {
  if (rows.length === 0) return config;
  const auto = config.autoProvision;
  const tokens = new Set<string>();
  for (const m of config.monitors.values()) for (const token of m.tokens) tokens.add(token);
  const monitors = new Map(config.monitors);
  for (const row of rows) {
    if (monitors.has(row.slug) || (row.token !== null && tokens.has(row.token))) continue;
    monitors.set(row.slug, provisionedMonitor(row, auto));
  }
  return { ...config, monitors };
}

/** Creates a monitor; null when auto-provisioning is off or the slug is taken or invalid. */
export function provision(
  store: ProvisionStore,
  config: Config,
  request: { slug: string; name?: string; periodMs?: number; graceMs?: number; withToken: boolean },
  now: number,
): (Created & { readonly row: ProvisionedRow }) | null {
  const auto = config.autoProvision;
  if (!auto.enabled || !SLUG.test(request.slug) || config.monitors.has(request.slug)) return null;
  const row: ProvisionedRow = {
    slug: request.slug,
    name: request.name ?? request.slug,
    periodMs: request.periodMs ?? null,
    graceMs: request.graceMs ?? null,
    token: request.withToken ? newToken() : null,
    createdAt: now,
  };
  if (!store.provision(row)) return null;
  return {
    slug: row.slug,
    name: row.name,
    token: row.token,
    periodMs: row.periodMs ?? auto.periodMs,
    graceMs: row.graceMs ?? auto.graceMs,
    row,
  };
}

/**
 * The provisioned monitors the config does not own yet, as YAML to paste under `monitors:`.
 * Once pasted, the config owns them (same slug, same token: their history and URLs carry on).
 */
export function exportYaml(config: Config, rows: readonly ProvisionedRow[]): string {
  const monitors: Record<string, Record<string, string>> = {};
  for (const row of rows) {
    if (config.monitors.has(row.slug)) continue;
    const m: Record<string, string> = { name: row.name };
    m.every = formatDuration(row.periodMs ?? config.autoProvision.periodMs);
    m.grace = formatDuration(row.graceMs ?? config.autoProvision.graceMs);
    if (row.token !== null) m.token = row.token;
    monitors[row.slug] = m;
  }
  const count = Object.keys(monitors).length;
  if (count === 0)
    return '# No auto-provisioned monitors are waiting to be moved into the config.\n';
  const head = `# ${count} monitor(s) created by auto-provisioning. Paste them under \`monitors:\` in\n# ${config.file}; from then on the config owns them.\n`;
  return head + stringify({ monitors });
}
