// Pause, resume and snooze through the daemon: persisted in the real SQLite file, kept across a
// restart and a reload, and a down held back by a snooze reaches the hook when it ends.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configYaml, TEST_PING_KEY as KEY } from '../helpers/config-yaml.js';
import { configFrom, daemonFixture, startDaemon } from '../helpers/daemon.js';
import { Receiver } from '../helpers/receiver.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const MIN = 60_000;

describe('pause and snooze through the daemon', () => {
  const t = daemonFixture(T0);
  let receiver: Receiver;
  beforeEach(async () => (receiver = await new Receiver().start()));
  afterEach(() => receiver.close());

  const config = (grace = '30s') =>
    configFrom(
      t.dir.path,
      configYaml({
        hooks: { web: { webhook: `${receiver.url}/alert` } },
        monitors: { backup: { every: '1m', grace, notify: ['web'] } },
      }),
    );
  const restart = async () => {
    await t.daemon?.close();
    t.daemon = await startDaemon(config(), t.clock);
  };
  const ping = async () => (await fetch(`${t.daemon?.url}/ping/${KEY}/backup`)).status;
  const events = async () => {
    await t.daemon?.dispatcher.idle();
    return receiver.received.map((r) => (JSON.parse(r.body) as { event: string }).event);
  };
  const monitor = () => t.daemon?.read.monitor('backup');

  it('stays paused across a restart and a reload, and never alerts while paused', async () => {
    t.daemon = await startDaemon(config(), t.clock);
    expect(await ping()).toBe(200);
    expect(t.daemon.read.pause('backup')).toMatchObject({ ok: true });
    await restart();
    expect(monitor()).toMatchObject({ status: 'paused', nextDeadlineAt: null });
    await t.daemon.reload(config('45s'));
    expect(monitor()).toMatchObject({ status: 'paused', nextDeadlineAt: null });
    t.clock.advance(60 * MIN);
    expect(await events()).toEqual([]);
    expect(t.daemon.read.resume('backup')).toMatchObject({ ok: true });
    expect(monitor()?.nextDeadlineAt).toBe(t.clock.now() + MIN);
  });

  it('keeps a snooze across a restart and a reload', async () => {
    t.daemon = await startDaemon(config(), t.clock);
    t.daemon.read.snooze('backup', 10 * MIN);
    await restart();
    expect(monitor()?.snoozedUntil).toBe(T0 + 10 * MIN);
    await t.daemon.reload(config('45s'));
    expect(monitor()?.snoozedUntil).toBe(T0 + 10 * MIN);
  });

  it('delivers the down alert a snooze held back when it ends, also after a restart', async () => {
    t.daemon = await startDaemon(config(), t.clock);
    expect(await ping()).toBe(200);
    t.daemon.read.snooze('backup', 10 * MIN);
    t.clock.advance(2 * MIN);
    expect(monitor()?.status).toBe('down');
    expect(await events()).toEqual([]);
    await restart();
    t.clock.advance(8 * MIN - 1);
    expect(await events()).toEqual([]);
    t.clock.advance(1);
    expect(await events()).toEqual(['down']);
    expect(monitor()?.snoozedUntil).toBeNull();
  });
});
