// The Prometheus rules and the Grafana dashboard shipped in docs/monitoring: the rules pass their
// promtool unit tests, and both use only names that /metrics exports.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Counters } from '../../src/core/counters.js';
import { renderMetrics } from '../../src/http/metrics.js';
import { RuntimeMetrics } from '../../src/http/runtime-metrics.js';
import { buildInfo } from '../../src/platform/build-info.js';

const PROMTOOL = '/usr/bin/promtool';
// CI installs promtool: there a missing one is a failure, not a skip.
const havePromtool = existsSync(PROMTOOL) || process.env.CI !== undefined;
const RULES = 'docs/monitoring/overdue.rules.yml';
const DASHBOARD = 'docs/monitoring/grafana-dashboard.json';

/** The families /metrics exports, from their # TYPE lines. */
function exported(): Set<string> {
  const runtime = new RuntimeMetrics();
  const monitor = {
    slug: 'a',
    name: 'A',
    tags: ['t'],
    status: 'up' as const,
    lastPingAt: 1,
    lastSuccessAt: 1,
    nextDeadlineAt: 2,
    lastDurationMs: 1,
    lastValue: 1,
    snoozed: false,
  };
  const snapshot = {
    now: 1,
    monitors: [monitor],
    tags: [{ tag: 't', status: 'up' as const }],
    counters: new Counters(),
    reload: { ok: true, at: 1 },
  };
  const text = renderMetrics(snapshot, runtime, buildInfo('3.0.0'));
  runtime.close();
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] ?? ''));
}

/** Metric names in PromQL text, histogram series reduced to their family. */
function namesIn(text: string): string[] {
  const names = [...text.matchAll(/\b(?:overdue|process|nodejs)_[a-z0-9_]+/g)].map((m) => m[0]);
  return [...new Set(names.map((n) => n.replace(/_(bucket|sum|count)$/, '')))].sort();
}

describe('docs/monitoring', () => {
  it.skipIf(!havePromtool)('passes the promtool unit tests of the alerting rules', () => {
    const r = spawnSync(PROMTOOL, ['test', 'rules', 'overdue.rules.test.yml'], {
      cwd: 'test/docs',
      encoding: 'utf8',
    });
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('uses in the rules and the dashboard only names that /metrics exports', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as object;
    const exprs = JSON.stringify(dashboard);
    const used = [...namesIn(readFileSync(RULES, 'utf8')), ...namesIn(exprs)];
    expect(used.length).toBeGreaterThan(10);
    const names = exported();
    expect(used.filter((n) => !names.has(n))).toEqual([]);
  });

  it('shows status, lateness, durations, values and deliveries in the dashboard', () => {
    const text = readFileSync(DASHBOARD, 'utf8');
    for (const name of [
      'overdue_monitor_status',
      'overdue_monitor_last_success_timestamp_seconds',
      'overdue_monitor_last_duration_seconds',
      'overdue_monitor_last_value',
      'overdue_deliveries_total',
    ])
      expect(text).toContain(name);
  });
});
