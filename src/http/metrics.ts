// GET /metrics: the Prometheus text exposition format (0.0.4). Every family has # HELP and # TYPE,
// overdue's own names start with overdue_, times are timestamps (…_timestamp_seconds) rather than
// ages, as Prometheus' naming guide asks, and the process families use the standard names.
import type { Status } from '../core/types.js';
import type { Counters } from '../core/counters.js';
import type { MetricsSnapshot, MonitorMetrics } from '../engine/read-model.js';
import { family, type Sample } from './exposition.js';
import type { RuntimeMetrics } from './runtime-metrics.js';

export { escapeLabel } from './exposition.js';
import { checkFamilies } from './metrics-checks.js';
import type { BuildInfo } from '../platform/build-info.js';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const STATUSES: readonly Status[] = ['new', 'up', 'late', 'running', 'down', 'paused'];
const PING_KINDS = ['success', 'start', 'fail', 'log'];

const seconds = (at: number | null) => (at === null ? null : at / 1000);

function monitorFamilies(s: MetricsSnapshot): string[] {
  const { monitors } = s;
  const per = (pick: (m: MonitorMetrics) => number | null): Sample[] =>
    monitors.flatMap((m) => {
      const v = pick(m);
      return v === null ? [] : [[{ monitor: m.slug }, v] as const];
    });
  return [
    family(
      'overdue_monitor_info',
      'gauge',
      'Always 1: each monitor’s name and tags (comma-separated), to join on the monitor label.',
      monitors.map((m) => [{ monitor: m.slug, name: m.name, tags: m.tags.join(',') }, 1]),
    ),
    family(
      'overdue_monitor_status',
      'gauge',
      'Status of each monitor: 1 for the status it is in, 0 for the others.',
      monitors.flatMap((m) =>
        STATUSES.map((st) => [{ monitor: m.slug, status: st }, m.status === st ? 1 : 0] as const),
      ),
    ),
    family(
      'overdue_monitor_last_ping_timestamp_seconds',
      'gauge',
      'When each monitor that has had a ping last had one, in seconds since the epoch.',
      per((m) => seconds(m.lastPingAt)),
    ),
    family(
      'overdue_monitor_last_success_timestamp_seconds',
      'gauge',
      'When each monitor last had a success, in seconds since the epoch.',
      per((m) => seconds(m.lastSuccessAt)),
    ),
    family(
      'overdue_monitor_next_deadline_timestamp_seconds',
      'gauge',
      'When each monitor next changes by itself (late, down, a reminder), in seconds since the epoch.',
      per((m) => seconds(m.nextDeadlineAt)),
    ),
    family(
      'overdue_monitor_last_duration_seconds',
      'gauge',
      'Run time of the latest run that reported or measured one, in seconds.',
      per((m) => (m.lastDurationMs === null ? null : m.lastDurationMs / 1000)),
    ),
    family(
      'overdue_monitor_last_value',
      'gauge',
      'The number sent with the latest ping that had one (ping= or value=).',
      per((m) => m.lastValue),
    ),
    family(
      'overdue_monitor_snoozed',
      'gauge',
      '1 while the monitor is snoozed (alerts held back), else 0.',
      per((m) => (m.snoozed ? 1 : 0)),
    ),
    family(
      'overdue_tag_status',
      'gauge',
      'Worst status of the monitors with each tag (as its badge shows): 1 for it, 0 for the others.',
      s.tags.flatMap((t) =>
        STATUSES.map((st) => [{ tag: t.tag, status: st }, t.status === st ? 1 : 0] as const),
      ),
    ),
  ];
}

function counterFamilies(c: Counters): string[] {
  const kinds = new Set([...PING_KINDS, ...c.pings.keys()]);
  const statuses = new Set<string>([...STATUSES, ...c.transitions.keys()]);
  const byHook = (map: Counters['deliveries']): Sample[] =>
    [...map].flatMap(([hook, byResult]) =>
      [...byResult].map(([result, n]): Sample => [{ hook, result }, n]),
    );
  return [
    family(
      'overdue_pings_total',
      'counter',
      'Pings stored since the process started, by kind.',
      [...kinds].map((kind) => [{ kind }, c.pings.get(kind) ?? 0]),
    ),
    family(
      'overdue_transitions_total',
      'counter',
      'Transitions since the process started, by the status they led to.',
      [...statuses].map((status) => [{ status }, c.transitions.get(status) ?? 0]),
    ),
    family(
      'overdue_deliveries_total',
      'counter',
      'Alert delivery attempts since the process started, by hook and result (ok, retry, failed); an alert of a grouped delivery counts once.',
      byHook(c.deliveries),
    ),
    family(
      'overdue_hook_groups_total',
      'counter',
      'Grouped deliveries (hooks with group:), each carrying several alerts, by hook and result (ok, retry, failed).',
      byHook(c.groups),
    ),
  ];
}

function reloadFamilies(reload: MetricsSnapshot['reload']): string[] {
  return [
    family(
      'overdue_config_last_reload_successful',
      'gauge',
      'Whether the last config reload (or the start) applied the config: 1, or 0 when it was invalid.',
      [[{}, reload.ok ? 1 : 0]],
    ),
    family(
      'overdue_config_last_reload_timestamp_seconds',
      'gauge',
      'When the config was last reloaded or tried to be, in seconds since the epoch.',
      [[{}, reload.at / 1000]],
    ),
  ];
}

function buildInfoFamily(build: BuildInfo): string {
  const { version, commit, node, sqlite } = build;
  return family(
    'overdue_build_info',
    'gauge',
    'Always 1; the labels name the running build: version, commit, Node.js and SQLite versions.',
    [[{ version, commit, node, sqlite }, 1]],
  );
}

export function renderMetrics(
  s: MetricsSnapshot,
  runtime: RuntimeMetrics,
  build: BuildInfo,
): string {
  const all = [
    ...monitorFamilies(s),
    ...counterFamilies(s.counters),
    ...checkFamilies(s).map((f) => family(f.name, f.type, f.help, f.samples)),
    ...reloadFamilies(s.reload),
    ...runtime.render(),
    buildInfoFamily(build),
  ];
  return `${all.join('\n')}\n`;
}
