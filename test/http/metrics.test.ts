// /metrics on a real daemon: checked by promtool, the reference parser and linter of the format.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { escapeLabel } from '../../src/http/metrics.js';
import { daemonFixture } from '../helpers/daemon.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const KEY = 'test-ping-key-0123456789';
const METRICS = 'metrics-token-0123456789abc';
const PROMTOOL = '/usr/bin/promtool';
// CI installs promtool: there a missing one is a failure, not a skip.
const havePromtool = existsSync(PROMTOOL) || process.env.CI !== undefined;

describe('/metrics', () => {
  const t = daemonFixture(T0);

  const start = async (server = `  metrics-token: ${METRICS}`) => {
    const yaml = `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  ping-key: ${KEY}
${server}
hooks:
  log:
    command: 'true'
monitors:
  backup:
    name: Nightly "backup"
    every: 1m
    grace: 30s
    tags: [db, nightly]
    notify: [log]
  worker:
    every: 5m
    tags: [db]
`;
    await t.start(yaml);
  };
  const scrape = async (token: string | null = METRICS) => {
    const headers: Record<string, string> =
      token === null ? {} : { authorization: `Bearer ${token}` };
    return fetch(`${t.daemon?.url}/metrics`, { headers });
  };
  const ping = async (path: string) =>
    expect((await fetch(`${t.daemon?.url}/ping/${KEY}/${path}`)).status).toBe(200);

  it.skipIf(!havePromtool)('passes promtool check metrics', async () => {
    await start();
    await ping('backup/start');
    t.clock.advance(1_500);
    await ping('backup');
    await ping('worker/fail');
    t.clock.advance(2 * 60_000);
    await t.daemon?.dispatcher.idle();
    const text = await (await scrape()).text();
    const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('shows each monitor’s status one-hot, its last ping, success and deadline as timestamps', async () => {
    await start();
    await ping('backup/start');
    t.clock.advance(1_500);
    await ping('backup');
    t.clock.advance(10_000);
    const text = await (await scrape()).text();
    const at = (ms: number) => String((T0 + ms) / 1000);
    expect(text).toContain('overdue_monitor_status{monitor="backup",status="up"} 1');
    expect(text).toContain('overdue_monitor_status{monitor="backup",status="running"} 0');
    expect(text).toContain('overdue_monitor_status{monitor="worker",status="new"} 1');
    expect(text).toContain(
      `overdue_monitor_last_ping_timestamp_seconds{monitor="backup"} ${at(1_500)}`,
    );
    expect(text).toContain(
      `overdue_monitor_last_success_timestamp_seconds{monitor="backup"} ${at(1_500)}`,
    );
    expect(text).toContain(
      `overdue_monitor_next_deadline_timestamp_seconds{monitor="backup"} ${at(61_500)}`,
    );
    expect(text).toContain('overdue_monitor_last_duration_seconds{monitor="backup"} 1.5');
    expect(text).not.toContain('overdue_monitor_last_ping_timestamp_seconds{monitor="worker"}');
    expect(text).not.toContain('age_seconds');
  });

  it('describes each monitor in an info metric with its name and tags', async () => {
    await start();
    const text = await (await scrape()).text();
    expect(text).toContain(
      'overdue_monitor_info{monitor="backup",name="Nightly \\"backup\\"",tags="db,nightly"} 1',
    );
    expect(text).toContain('overdue_monitor_info{monitor="worker",name="worker",tags="db"} 1');
  });

  it('shows each tag’s worst status one-hot', async () => {
    await start();
    await ping('backup');
    await ping('worker/fail');
    const text = await (await scrape()).text();
    expect(text).toContain('overdue_tag_status{tag="db",status="down"} 1');
    expect(text).toContain('overdue_tag_status{tag="db",status="up"} 0');
    expect(text).toContain('overdue_tag_status{tag="nightly",status="up"} 1');
  });

  it('counts pings by kind, transitions by status and deliveries by hook and result', async () => {
    await start();
    await ping('backup');
    await ping('backup/log');
    t.clock.advance(2 * 60_000);
    await t.daemon?.dispatcher.idle();
    const text = await (await scrape()).text();
    expect(text).toContain('overdue_pings_total{kind="success"} 1');
    expect(text).toContain('overdue_pings_total{kind="log"} 1');
    expect(text).toContain('overdue_transitions_total{status="down"} 1');
    expect(text).toContain('overdue_deliveries_total{hook="log",result="ok"} 1');
  });

  it('notes a failed reload', async () => {
    await start();
    t.clock.advance(5_000);
    t.daemon?.noteReloadFailed();
    const text = await (await scrape()).text();
    expect(text).toContain('overdue_config_last_reload_successful 0');
    expect(text).toContain(`overdue_config_last_reload_timestamp_seconds ${(T0 + 5_000) / 1000}`);
  });

  it('exports the standard process metrics unprefixed, and Node’s event-loop lag and GC', async () => {
    await start();
    const text = await (await scrape()).text();
    const names = [
      'process_cpu_user_seconds_total',
      'process_cpu_system_seconds_total',
      'process_cpu_seconds_total',
      'process_start_time_seconds',
      'process_resident_memory_bytes',
      'process_virtual_memory_bytes',
      'process_heap_bytes',
      'process_open_fds',
      'process_max_fds',
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_gc_duration_seconds',
      'nodejs_heap_size_used_bytes',
    ];
    for (const name of names) expect(text).toContain(`# TYPE ${name} `);
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
    expect(text).not.toContain('overdue_process_');
  });

  it('answers 401 without a token, and to anyone when metrics are public', async () => {
    await start();
    expect((await scrape(null)).status).toBe(401);
    await t.daemon?.close();
    await start('  public: [metrics]');
    const r = await scrape(null);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('escapes backslashes, quotes and line feeds in label values', () => {
    expect(escapeLabel('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });
});
