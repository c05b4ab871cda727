// depends-on through a real daemon: a parent down with 50 children yields one alert (the parent's),
// the children are recorded as suppressed; when the parent recovers, a child still down alerts
// once after its own grace. Real SQLite, a real receiver, a fake clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFrom, daemonFixture } from '../helpers/daemon.js';
import { Receiver } from '../helpers/receiver.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const KEY = 'test-ping-key-0123456789';
const READ = 'read-token-0123456789abcdef';
const MIN = 60_000;
const CHILDREN = 50;

describe('depends-on, end to end', () => {
  const t = daemonFixture(T0);
  let receiver: Receiver;
  beforeEach(async () => (receiver = await new Receiver().start()));
  afterEach(() => receiver.close());

  const yamlOf = (children: string[]) => `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  ping-key: ${KEY}
  read-token: ${READ}
hooks:
  json:
    webhook: ${receiver.url}/json
monitors:
${children.join('\n')}
  router:
    every: 1m
    grace: 30s
    notify: [json]
`;
  // Every monitor is armed at T0: late at 10:01, down at 10:01:30, all at the same moment.
  const start = () =>
    t.start(
      yamlOf(
        Array.from(
          { length: CHILDREN },
          (_, i) =>
            `  job-${i}:\n    every: 1m\n    grace: 30s\n    depends-on: [router]\n    notify: [json]`,
        ),
      ),
    );
  const ping = async (slug: string) => {
    expect((await fetch(`${t.daemon?.url}/ping/${KEY}/${slug}`)).status).toBe(200);
    await t.daemon?.dispatcher.idle();
  };
  const advance = async (ms: number) => {
    t.clock.advance(ms);
    await t.daemon?.dispatcher.idle();
  };
  const alerts = () =>
    receiver.received.map(
      (r) => JSON.parse(r.body) as { event: string; monitor: { slug: string } },
    );
  const transitions = async (slug: string) => {
    const r = await fetch(`${t.daemon?.url}/api/v1/monitors/${slug}/transitions`, {
      headers: { authorization: `Bearer ${READ}` },
    });
    return (
      (await r.json()) as { items: { to: string; alert: string | null; parent: string | null }[] }
    ).items;
  };

  it('sends one alert, the parent’s, when a parent and its 50 children go down together', async () => {
    await start();
    await advance(90_000);
    expect(alerts().map((a) => [a.event, a.monitor.slug])).toEqual([['down', 'router']]);
    for (const slug of ['job-0', `job-${CHILDREN - 1}`]) {
      expect((await transitions(slug))[0]).toMatchObject({
        to: 'down',
        alert: null,
        parent: 'router',
      });
    }
    const metrics = await fetch(`${t.daemon?.url}/metrics`, {
      headers: { authorization: `Bearer ${READ}` },
    });
    expect(await metrics.text()).toContain(`overdue_suppressed_alerts_total ${CHILDREN}`);
    await advance(60 * MIN);
    expect(alerts()).toHaveLength(1);
  });

  it('alerts a child still down once, one grace after the parent recovered', async () => {
    await start();
    await advance(90_000); // all down at 10:01:30, only the router alerted
    await advance(10 * MIN);
    await ping('router'); // recovered at 10:11:30
    await ping('job-1'); // back within its grace: no alert
    await ping('job-2');
    for (let i = 3; i < CHILDREN; i++) await ping(`job-${i}`);
    await advance(30_000 - 1);
    expect(alerts().map((a) => [a.event, a.monitor.slug])).toEqual([
      ['down', 'router'],
      ['up', 'router'],
    ]);
    await advance(1); // job-0's grace after the recovery has ended
    expect(
      alerts()
        .slice(2)
        .map((a) => [a.event, a.monitor.slug]),
    ).toEqual([['down', 'job-0']]);
    expect((await transitions('job-0'))[0]).toMatchObject({ alert: 'down', parent: 'router' });
    await advance(60 * MIN);
    expect(alerts().filter((a) => a.monitor.slug === 'job-0')).toHaveLength(1);
  });

  it('releases a held child when a reload removes its depends-on, and alerts it a grace later', async () => {
    const daemon = await start();
    await advance(90_000); // all down at 10:01:30, only the router alerted
    const config = configFrom(
      t.dir.path,
      yamlOf(['  job-0:\n    every: 1m\n    grace: 30s\n    notify: [json]']),
    );
    await daemon.reload(config);
    await advance(30_000 - 1);
    expect(alerts()).toHaveLength(1);
    await advance(1);
    expect(alerts().map((a) => [a.event, a.monitor.slug])).toEqual([
      ['down', 'router'],
      ['down', 'job-0'],
    ]);
  });
});
