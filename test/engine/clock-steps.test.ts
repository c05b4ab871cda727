// Steps of the wall clock and host suspends, through the daemon on a real SQLite file with a fake
// clock that keeps a host's three clocks (wall, monotonic, since boot). Elapsed time (`every`,
// grace, max-runtime) counts on the monotonic clock: a step of an hour either way neither alerts
// early nor late. Cron times are read on the new wall clock. A suspend is like a restart: what fell
// due while the host slept gets one grace from the resume.
import { describe, expect, it } from 'vitest';
import { Daemon } from '../../src/daemon.js';
import type { Fields, Logger } from '../../src/platform/log.js';
import { configYaml, TEST_PING_KEY as KEY, type YamlValue } from '../helpers/config-yaml.js';
import { configFrom, daemonFixture } from '../helpers/daemon.js';

const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const SEC = 1_000;
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('steps of the wall clock and suspends of the host', () => {
  const t = daemonFixture(T0);
  const lines: { msg: string; fields: Fields }[] = [];
  const log: Logger = {
    debug: () => undefined,
    info: (msg, fields = {}) => lines.push({ msg, fields }),
    warn: (msg, fields = {}) => lines.push({ msg, fields }),
    error: (msg, fields = {}) => lines.push({ msg, fields }),
  };

  async function start(job: YamlValue): Promise<Daemon> {
    lines.length = 0;
    const config = configFrom(t.dir.path, configYaml({ monitors: { job } }));
    t.daemon = await Daemon.start({ config, clock: t.clock, log, drainMs: 2_000 });
    return t.daemon;
  }
  const ping = async (path = '') => (await fetch(`${t.daemon?.url}/ping/${KEY}/job${path}`)).status;
  const status = () => t.daemon?.monitors.bySlug('job')?.state.status;
  /** The transitions away from `up`/`running`: what a step must not cause early or late. */
  const alerts = () =>
    t.daemon?.store.db
      .prepare(
        `SELECT at, to_status AS status, deadline_at AS deadline FROM transitions
         WHERE to_status IN ('late', 'down') ORDER BY id`,
      )
      .all() as { at: number; status: string; deadline: number }[];

  /** Up until `lateAt`, late from it, down from `downAt`: checked at the ms before each boundary. */
  function expectLateThenDown(lateAt: number, downAt: number): void {
    t.clock.advanceTo(lateAt - 1);
    expect(alerts()).toEqual([]);
    t.clock.advanceTo(lateAt);
    expect(status()).toBe('late');
    t.clock.advanceTo(downAt - 1);
    expect(status()).toBe('late');
    t.clock.advanceTo(downAt);
    expect(alerts()).toEqual([
      { at: lateAt, status: 'late', deadline: lateAt },
      { at: downAt, status: 'down', deadline: lateAt },
    ]);
  }

  it('neither goes late nor down when the wall clock steps an hour forward, and alerts when 10m have elapsed', async () => {
    await start({ every: '10m', grace: '5m' });
    expect(await ping()).toBe(200);
    t.clock.advance(9 * MIN);
    t.clock.jump(HOUR);
    t.clock.advance(2 * SEC);
    expect(status()).toBe('up');
    // The 10 minutes since the ping end an hour later on the stepped wall clock.
    expectLateThenDown(T0 + HOUR + 10 * MIN, T0 + HOUR + 15 * MIN);
  });

  it('alerts when 10m have elapsed, not an hour later, when the wall clock steps an hour back', async () => {
    await start({ every: '10m', grace: '5m' });
    expect(await ping()).toBe(200);
    t.clock.advance(9 * MIN);
    t.clock.jump(-HOUR);
    expectLateThenDown(T0 - HOUR + 10 * MIN, T0 - HOUR + 15 * MIN);
  });

  it('alerts at its elapsed time when the wall clock steps back half a second before a deadline', async () => {
    await start({ every: '10m', grace: '5m' });
    expect(await ping()).toBe(200);
    t.clock.advance(10 * MIN - 500);
    t.clock.jump(-HOUR);
    expectLateThenDown(T0 - HOUR + 10 * MIN, T0 - HOUR + 15 * MIN);
  });

  it('counts the grace of a late monitor in elapsed time across a step forward', async () => {
    await start({ every: '10m', grace: '5m' });
    expect(await ping()).toBe(200);
    t.clock.advance(12 * MIN);
    expect(status()).toBe('late');
    t.clock.jump(HOUR);
    t.clock.advanceTo(T0 + HOUR + 15 * MIN - 1);
    expect(status()).toBe('late');
    t.clock.advance(1);
    expect(alerts().map((a) => [a.status, a.at])).toEqual([
      ['late', T0 + 10 * MIN],
      ['down', T0 + HOUR + 15 * MIN],
    ]);
  });

  it('counts max-runtime in elapsed time across a step forward', async () => {
    await start({ every: '1h', grace: '5m', 'max-runtime': '20m' });
    expect(await ping('/start')).toBe(200);
    t.clock.advance(10 * MIN);
    t.clock.jump(HOUR);
    t.clock.advanceTo(T0 + HOUR + 20 * MIN - 1);
    expect(status()).toBe('running');
    t.clock.advance(1);
    expect(status()).toBe('down');
    expect(alerts()).toEqual([
      { at: T0 + HOUR + 20 * MIN, status: 'down', deadline: T0 + HOUR + 20 * MIN },
    ]);
  });

  it('expects a daily cron job at its time on the new wall clock after a step', async () => {
    // 02:00 in Berlin is 00:00 UTC in June.
    t.clock.advanceTo(Date.parse('2026-06-02T00:00:30Z'));
    await start({ cron: '0 2 * * *', timezone: 'Europe/Berlin', grace: '10m' });
    expect(await ping()).toBe(200);
    t.clock.advanceTo(Date.parse('2026-06-02T10:00Z'));
    t.clock.jump(HOUR);
    const dueAt = Date.parse('2026-06-03T00:00Z');
    expectLateThenDown(dueAt, dueAt + 10 * MIN);
  });

  it('does not expect a cron time that a step forward skipped over', async () => {
    t.clock.advanceTo(Date.parse('2026-06-01T12:00:10Z'));
    await start({ cron: '0 * * * *', grace: '10m' });
    expect(await ping()).toBe(200);
    t.clock.advanceTo(Date.parse('2026-06-01T12:30Z'));
    t.clock.jump(HOUR);
    const dueAt = Date.parse('2026-06-01T14:00Z');
    expectLateThenDown(dueAt, dueAt + 10 * MIN);
  });

  it('expects an hourly cron job an hour after its last run, not two, when the wall clock steps back', async () => {
    t.clock.advanceTo(Date.parse('2026-06-01T12:00:10Z'));
    await start({ cron: '0 * * * *', grace: '10m' });
    expect(await ping()).toBe(200);
    t.clock.advanceTo(Date.parse('2026-06-01T12:30Z'));
    t.clock.jump(-HOUR);
    const dueAt = Date.parse('2026-06-01T12:00Z');
    expectLateThenDown(dueAt, dueAt + 10 * MIN);
  });

  it('gives a deadline that passed while the host was suspended one grace from the resume', async () => {
    await start({ every: '10m', grace: '5m' });
    expect(await ping()).toBe(200);
    t.clock.advance(5 * MIN);
    t.clock.suspend(HOUR);
    const resumedAt = t.clock.now();
    t.clock.advance(2 * SEC);
    expect(status()).toBe('late');
    const [late] = alerts();
    expect(late?.at).toBeLessThanOrEqual(resumedAt + SEC);
    t.clock.advanceTo((late?.at ?? 0) + 5 * MIN - 1);
    expect(status()).toBe('late');
    t.clock.advance(1);
    expect(alerts()).toEqual([
      { at: late?.at, status: 'late', deadline: T0 + 10 * MIN },
      { at: (late?.at ?? 0) + 5 * MIN, status: 'down', deadline: T0 + 10 * MIN },
    ]);
  });

  it('stays up after a suspend when the job pings within a grace of the resume', async () => {
    await start({ every: '10m', grace: '5m' });
    expect(await ping()).toBe(200);
    t.clock.advance(5 * MIN);
    t.clock.suspend(HOUR);
    t.clock.advance(4 * MIN);
    expect(await ping()).toBe(200);
    t.clock.advance(5 * MIN);
    expect(alerts().map((a) => a.status)).toEqual(['late']);
    expect(status()).toBe('up');
  });

  it('counts the time the host was suspended as elapsed time', async () => {
    await start({ every: '10m', grace: '5m' });
    expect(await ping()).toBe(200);
    t.clock.advance(5 * MIN);
    t.clock.suspend(2 * MIN);
    expectLateThenDown(T0 + 10 * MIN, T0 + 15 * MIN);
  });

  it('logs a step of the wall clock and a suspend of the host, with their sizes', async () => {
    await start({ every: '10m', grace: '5m' });
    expect(await ping()).toBe(200);
    t.clock.advance(MIN);
    t.clock.jump(-HOUR);
    t.clock.advance(2 * SEC);
    t.clock.suspend(30 * MIN);
    t.clock.advance(2 * SEC);
    expect(lines.filter((l) => l.msg.includes('clock') || l.msg.includes('suspend'))).toEqual([
      { msg: 'wall clock stepped', fields: { step_ms: -HOUR } },
      { msg: 'host was suspended', fields: { suspended_ms: 30 * MIN } },
    ]);
  });

  it('keeps the re-based times across a restart after a step forward', async () => {
    await start({ every: '10m', grace: '2m' });
    expect(await ping()).toBe(200);
    t.clock.advance(MIN);
    t.clock.jump(HOUR);
    t.clock.advance(2 * SEC);
    await t.daemon?.close();
    await start({ every: '10m', grace: '2m' });
    t.clock.advanceTo(T0 + HOUR + 10 * MIN - 1);
    expect(alerts()).toEqual([]);
    t.clock.advance(1);
    expect(status()).toBe('late');
  });
});
