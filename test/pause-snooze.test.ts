// Pause, resume and snooze through the daemon: persisted in the real SQLite file, kept across a
// restart and a reload, and a down held back by a snooze reaches the hook when it ends.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Daemon } from '../src/daemon.js';
import { FakeClock } from './helpers/fake-clock.js';
import { configFrom, startDaemon } from './helpers/daemon.js';
import { Receiver } from './helpers/receiver.js';
import { tempDir } from './helpers/temp.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const KEY = 'test-ping-key-0123456789';
const MIN = 60_000;

describe('pause and snooze through the daemon', () => {
  let dir: ReturnType<typeof tempDir>;
  let receiver: Receiver;
  let clock: FakeClock;
  let daemon: Daemon | undefined;

  beforeEach(async () => {
    dir = tempDir();
    receiver = await new Receiver().start();
    clock = new FakeClock(T0);
  });
  afterEach(async () => {
    await daemon?.close();
    daemon = undefined;
    await receiver.close();
    dir.remove();
  });

  const config = (grace = '30s') =>
    configFrom(
      dir.path,
      `
server:
  listen: 127.0.0.1:0
  data-dir: ./data
  ping-key: ${KEY}
hooks:
  web:
    webhook: ${receiver.url}/alert
monitors:
  backup:
    every: 1m
    grace: ${grace}
    notify: [web]
`,
    );
  const restart = async () => {
    await daemon?.close();
    daemon = await startDaemon(config(), clock);
  };
  const ping = async () => (await fetch(`${daemon?.url}/ping/${KEY}/backup`)).status;
  const events = async () => {
    await daemon?.dispatcher.idle();
    return receiver.received.map((r) => (JSON.parse(r.body) as { event: string }).event);
  };
  const monitor = () => daemon?.read.monitor('backup');

  it('stays paused across a restart and a reload, and never alerts while paused', async () => {
    daemon = await startDaemon(config(), clock);
    expect(await ping()).toBe(200);
    expect(daemon.read.pause('backup')).toMatchObject({ ok: true });
    await restart();
    expect(monitor()).toMatchObject({ status: 'paused', nextDeadlineAt: null });
    daemon.reload(config('45s'));
    expect(monitor()).toMatchObject({ status: 'paused', nextDeadlineAt: null });
    clock.advance(60 * MIN);
    expect(await events()).toEqual([]);
    expect(daemon.read.resume('backup')).toMatchObject({ ok: true });
    expect(monitor()?.nextDeadlineAt).toBe(clock.now() + MIN);
  });

  it('keeps a snooze across a restart and a reload', async () => {
    daemon = await startDaemon(config(), clock);
    daemon.read.snooze('backup', 10 * MIN);
    await restart();
    expect(monitor()?.snoozedUntil).toBe(T0 + 10 * MIN);
    daemon.reload(config('45s'));
    expect(monitor()?.snoozedUntil).toBe(T0 + 10 * MIN);
  });

  it('delivers the down alert a snooze held back when it ends, also after a restart', async () => {
    daemon = await startDaemon(config(), clock);
    expect(await ping()).toBe(200);
    daemon.read.snooze('backup', 10 * MIN);
    clock.advance(2 * MIN);
    expect(monitor()?.status).toBe('down');
    expect(await events()).toEqual([]);
    await restart();
    clock.advance(8 * MIN - 1);
    expect(await events()).toEqual([]);
    clock.advance(1);
    expect(await events()).toEqual(['down']);
    expect(monitor()?.snoozedUntil).toBeNull();
  });
});
