// Grouped alerts through a real daemon: 500 monitors down at once reach a grouped webhook as one
// request, and a grouped command as one run with the array on stdin; each alert's delivery is
// recorded and counted. Real SQLite, a real receiver, real processes, a fake clock.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { daemonFixture } from '../helpers/daemon.js';
import { Receiver } from '../helpers/receiver.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const READ = 'read-token-0123456789abcdef';
const DOWN_AFTER_MS = 90_000;
const WAIT_MS = 10_000;

describe('grouped alerts, end to end', () => {
  const t = daemonFixture(T0);
  let receiver: Receiver;
  beforeEach(async () => (receiver = await new Receiver().start()));
  afterEach(() => receiver.close());

  const monitors = (count: number, hook: string) =>
    Array.from(
      { length: count },
      (_, i) => `  job-${i}:\n    every: 1m\n    grace: 30s\n    notify: [${hook}]`,
    ).join('\n');
  const yamlOf = (hooks: string, list: string) => `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  read-token: ${READ}
hooks:
${hooks}
monitors:
${list}
`;
  const advance = async (ms: number) => {
    t.clock.advance(ms);
    await t.daemon?.dispatcher.idle();
  };
  const get = async (path: string) =>
    fetch(`${t.daemon?.url}${path}`, { headers: { authorization: `Bearer ${READ}` } });

  it('a grouped hook receives one request for 500 simultaneous downs', async () => {
    const hook = `  json:\n    webhook: ${receiver.url}/json\n    group: { wait: 10s, max: 1000 }`;
    await t.start(yamlOf(hook, monitors(500, 'json')));
    // Every monitor is armed at T0 and goes down at 10:01:30; the window opens then.
    await advance(DOWN_AFTER_MS);
    await advance(WAIT_MS - 1);
    expect(receiver.received).toHaveLength(0);
    await advance(1);
    expect(receiver.received).toHaveLength(1);
    const alerts = JSON.parse(receiver.received[0]?.body ?? '') as { monitor: { slug: string } }[];
    expect(alerts.map((a) => a.monitor.slug).sort()).toEqual(
      Array.from({ length: 500 }, (_, i) => `job-${i}`).sort(),
    );
  });

  it('a grouped preset hook sends one message listing every monitor', async () => {
    const hook = `  chat:\n    slack:\n      url: ${receiver.url}/services/T/B/x\n    group: { wait: 10s, max: 1000 }`;
    await t.start(yamlOf(hook, monitors(30, 'chat')));
    await advance(DOWN_AFTER_MS + WAIT_MS);
    expect(receiver.received).toHaveLength(1);
    const body = receiver.received[0]?.body ?? '';
    expect(body).toContain('30 monitors down');
    for (let i = 0; i < 30; i++) expect(body).toContain(`job-${i}`);
  });

  it('shows each alert’s delivery as part of its grouped attempt, and counts both', async () => {
    const hook = `  json:\n    webhook: ${receiver.url}/json\n    group: { wait: 10s, max: 1000 }`;
    await t.start(yamlOf(hook, monitors(50, 'json')));
    await advance(DOWN_AFTER_MS + WAIT_MS);
    expect(receiver.received).toHaveLength(1);
    const page = (await (await get('/api/v1/monitors/job-7/deliveries')).json()) as {
      items: unknown[];
    };
    expect(page.items).toEqual([expect.objectContaining({ ok: true, group_size: 50 })]);
    expect(await (await get('/monitors/job-7')).text()).toContain('(group of 50)');
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toContain('overdue_deliveries_total{hook="json",result="ok"} 50');
    expect(metrics).toContain('overdue_hook_groups_total{hook="json",result="ok"} 1');
  });

  it('a grouped command hook runs once with the array of the alerts on stdin', async () => {
    const out = join(t.dir.path, 'alerts.jsonl');
    const hook = `  script:\n    command: ["sh", "-c", "cat >> ${out}; echo \\"$OVERDUE_ALERT_COUNT\\" >> ${out}.count"]\n    group: { wait: 10s, max: 1000 }`;
    await t.start(yamlOf(hook, monitors(20, 'script')));
    await advance(DOWN_AFTER_MS + WAIT_MS);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const alerts = JSON.parse(lines[0] ?? '') as { event: string }[];
    expect(alerts).toHaveLength(20);
    expect(new Set(alerts.map((a) => a.event))).toEqual(new Set(['down']));
    expect(readFileSync(`${out}.count`, 'utf8')).toBe('20\n');
  });
});
