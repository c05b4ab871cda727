// GET /metrics: the Prometheus text exposition format (0.0.4). Every family has # HELP and # TYPE,
// every name starts with overdue_, and label values are escaped.
import { readdirSync } from 'node:fs';
import type { Status } from '../core/types.js';
import type { Counters } from '../core/counters.js';
import type { MetricsSnapshot, MonitorMetrics } from '../engine/read-model.js';
import type { BuildInfo } from '../platform/build-info.js';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const STATUSES: readonly Status[] = ['new', 'up', 'late', 'running', 'down', 'paused'];
const PING_KINDS = ['success', 'start', 'fail', 'log'];

type Sample = readonly [labels: Record<string, string>, value: number];

/** Escapes a label value: backslash, double quote and line feed, as the format requires. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function family(name: string, type: string, help: string, samples: readonly Sample[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const [labels, value] of samples) {
    const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
    lines.push(`${name}${pairs.length > 0 ? `{${pairs.join(',')}}` : ''} ${value}`);
  }
  return lines.join('\n');
}

function monitorFamilies(s: MetricsSnapshot): string[] {
  const { monitors, now } = s;
  const per = (pick: (m: MonitorMetrics) => number | null): Sample[] =>
    monitors.flatMap((m) => {
      const v = pick(m);
      return v === null ? [] : [[{ monitor: m.slug }, v] as const];
    });
  return [
    family(
      'overdue_monitor_status',
      'gauge',
      'Status of each monitor: 1 for the status it is in, 0 for the others.',
      monitors.flatMap((m) =>
        STATUSES.map((st) => [{ monitor: m.slug, status: st }, m.status === st ? 1 : 0] as const),
      ),
    ),
    family(
      'overdue_monitor_last_ping_age_seconds',
      'gauge',
      'Seconds since the last ping of each monitor that has had one.',
      per((m) => (m.lastPingAt === null ? null : Math.max(0, now - m.lastPingAt) / 1000)),
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
  ];
}

function counterFamilies(c: Counters): string[] {
  const kinds = new Set([...PING_KINDS, ...c.pings.keys()]);
  const statuses = new Set<string>([...STATUSES, ...c.transitions.keys()]);
  const deliveries: Sample[] = [];
  for (const [hook, byResult] of c.deliveries)
    for (const [result, n] of byResult) deliveries.push([{ hook, result }, n]);
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
      'Alert delivery attempts since the process started, by hook and result (ok, retry, failed).',
      deliveries,
    ),
  ];
}

function processFamilies(): string[] {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const startedAt = Date.now() - process.uptime() * 1000;
  const gauge = (name: string, help: string, value: number, type = 'gauge') =>
    family(`overdue_process_${name}`, type, help, [[{}, value]]);
  const families = [
    gauge(
      'cpu_seconds_total',
      'User and system CPU time spent, in seconds.',
      (cpu.user + cpu.system) / 1e6,
      'counter',
    ),
    gauge('resident_memory_bytes', 'Resident memory size in bytes.', memory.rss),
    gauge('heap_used_bytes', 'V8 heap in use, in bytes.', memory.heapUsed),
    gauge('heap_total_bytes', 'V8 heap allocated, in bytes.', memory.heapTotal),
    gauge(
      'start_time_seconds',
      'When the process started, in seconds since the epoch.',
      Math.round(startedAt / 1000),
    ),
  ];
  const fds = openFds();
  if (fds !== null) families.push(gauge('open_fds', 'Open file descriptors.', fds));
  return families;
}

/** Open file descriptors, where /proc tells (Linux); null elsewhere. */
function openFds(): number | null {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return null;
  }
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

export function renderMetrics(s: MetricsSnapshot, build: BuildInfo): string {
  const reload = [
    family(
      'overdue_config_last_reload_success',
      'gauge',
      'Whether the last config reload (or the start) applied the config: 1, or 0 when it was invalid.',
      [[{}, s.reload.ok ? 1 : 0]],
    ),
    family(
      'overdue_config_last_reload_timestamp_seconds',
      'gauge',
      'When the config was last reloaded or tried to be, in seconds since the epoch.',
      [[{}, s.reload.at / 1000]],
    ),
  ];
  const all = [
    ...monitorFamilies(s),
    ...counterFamilies(s.counters),
    ...reload,
    ...processFamilies(),
    buildInfoFamily(build),
  ];
  return `${all.join('\n')}\n`;
}
