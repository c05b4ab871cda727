// Through the daemon: the alert snapshot carries what its texts need (when the down began, the
// schedule), taken when the transition happens. Real SQLite, real HTTP receiver, a fake clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { daemonFixture } from '../helpers/daemon.js';
import { Receiver } from '../helpers/receiver.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const KEY = 'test-ping-key-0123456789';
const MIN = 60_000;

describe('alerts sent by the daemon', () => {
  const t = daemonFixture(T0);
  let receiver: Receiver;
  beforeEach(async () => (receiver = await new Receiver().start()));
  afterEach(() => receiver.close());

  const start = (schedule: string) =>
    t.start(`
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  ping-key: ${KEY}
hooks:
  json:
    webhook: ${receiver.url}/json
  text:
    webhook:
      url: ${receiver.url}/text
      format: text
      body: "{{title}}\\n{{message}}"
monitors:
  backup:
    name: Backup
${schedule}
    notify: [json, text]
    repeat: 1h
`);
  const ping = async () => {
    const status = (await fetch(`${t.daemon?.url}/ping/${KEY}/backup`)).status;
    await t.daemon?.dispatcher.idle();
    return status;
  };
  const advance = async (ms: number) => {
    t.clock.advance(ms);
    await t.daemon?.dispatcher.idle();
  };
  /** The texts of the alerts received so far, one string each. */
  const texts = () => receiver.received.filter((r) => r.url === '/text').map((r) => r.body);
  const alerts = () =>
    receiver.received
      .filter((r) => r.url === '/json')
      .map((r) => JSON.parse(r.body) as Record<string, unknown>);

  it('say how long a recovered monitor was down', async () => {
    await start('    every: 1m\n    grace: 30s');
    expect(await ping()).toBe(200);
    await advance(90_000); // down at 10:01:30
    await advance(12 * MIN);
    await ping(); // up at 10:13:30
    expect(alerts().at(-1)).toMatchObject({ event: 'up', down_since: '2026-05-01T10:01:30.000Z' });
    expect(texts().at(-1)).toBe(
      'Backup is up again after 12m down\n' +
        'Up again at 2026-05-01 10:13:30 UTC, after 12m down (since 2026-05-01 10:01:30 UTC).',
    );
  });

  it('say what was expected of a monitor that missed its ping', async () => {
    await start('    every: 5m\n    grace: 2m');
    await ping();
    await advance(7 * MIN);
    expect(alerts()[0]).toMatchObject({
      event: 'down',
      down_since: '2026-05-01T10:07:00.000Z',
      schedule: { every_ms: 5 * MIN, cron: null, timezone: null, grace_ms: 2 * MIN },
    });
    expect(texts()[0]).toBe(
      'Backup is down\nNo ping by 2026-05-01 10:05:00 UTC (expected every 5m, grace 2m). ' +
        'Last ping: 2026-05-01 10:00:00 UTC.',
    );
  });

  it('say the cron expression and zone a monitor missed', async () => {
    await start("    cron: '0 12 * * *'\n    timezone: Europe/Berlin\n    grace: 30m");
    await ping();
    await advance(30 * MIN); // 12:00 in Berlin is 10:00 UTC: the first one is tomorrow's
    await advance(24 * 60 * MIN);
    expect(texts()[0]).toBe(
      'Backup is down\nNo ping by 2026-05-02 10:00:00 UTC ' +
        '(expected at cron 0 12 * * * in Europe/Berlin, grace 30m). Last ping: 2026-05-01 10:00:00 UTC.',
    );
  });

  it('show a reminder the real last ping and since when the monitor is down', async () => {
    await start('    every: 5m\n    grace: 2m');
    await ping();
    await advance(7 * MIN + 60 * MIN);
    expect(alerts().map((a) => a.event)).toEqual(['down', 'reminder']);
    expect(texts()[1]).toBe(
      'Backup is still down\nStill down at 2026-05-01 11:07:00 UTC, for 1h ' +
        '(since 2026-05-01 10:07:00 UTC). Last ping: 2026-05-01 10:00:00 UTC.',
    );
  });
});
