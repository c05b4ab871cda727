// Time: cron monitors in several zones across both 2026 DST transitions, 29 February, waits
// beyond the 24.8-day timer limit, and a host asleep for two years. The daemon runs on a real
// SQLite file and a real port with a fake clock, which fires each timer at its own time as it
// passes. Steps of the wall clock and shorter suspends: test/engine/clock-steps.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { nextExpectedAt } from '../../src/core/schedule.js';
import type { Daemon } from '../../src/daemon.js';
import { configYaml, TEST_PING_KEY as KEY, type YamlValue } from '../helpers/config-yaml.js';
import { configFrom, startDaemon } from '../helpers/daemon.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempDir } from '../helpers/temp.js';

const MIN = 60_000;
const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

describe('expected times of cron schedules', () => {
  it.each([
    // A daily job at 09:00 local keeps 09:00 local across each transition.
    ['0 9 * * *', 'Europe/Berlin', '2026-03-28T08:00Z', '2026-03-29T07:00Z'],
    ['0 9 * * *', 'Europe/Berlin', '2026-10-24T07:00Z', '2026-10-25T08:00Z'],
    ['0 9 * * *', 'America/New_York', '2026-03-07T14:00Z', '2026-03-08T13:00Z'],
    ['0 9 * * *', 'America/New_York', '2026-10-31T13:00Z', '2026-11-01T14:00Z'],
    ['0 9 * * *', 'Australia/Sydney', '2026-04-03T22:00Z', '2026-04-04T23:00Z'],
    ['0 9 * * *', 'Australia/Sydney', '2026-10-02T23:00Z', '2026-10-03T22:00Z'],
    ['0 9 * * *', 'Asia/Kolkata', '2026-03-28T03:30Z', '2026-03-29T03:30Z'],
    ['0 9 * * *', 'Asia/Kolkata', '2026-10-24T03:30Z', '2026-10-25T03:30Z'],
    // A time the spring-forward skips is expected at the end of the gap, the same day.
    ['30 2 * * *', 'Europe/Berlin', '2026-03-28T01:30Z', '2026-03-29T01:00Z'],
    ['30 2 * * *', 'America/New_York', '2026-03-07T07:30Z', '2026-03-08T07:00Z'],
    ['30 2 * * *', 'Australia/Sydney', '2026-10-02T16:30Z', '2026-10-03T16:00Z'],
    // A time the fall-back repeats is expected once, at its first occurrence.
    ['30 2 * * *', 'Europe/Berlin', '2026-10-24T00:30Z', '2026-10-25T00:30Z'],
    ['30 2 * * *', 'Europe/Berlin', '2026-10-25T00:30Z', '2026-10-26T01:30Z'],
    ['30 1 * * *', 'America/New_York', '2026-11-01T05:30Z', '2026-11-02T06:30Z'],
    ['30 2 * * *', 'Australia/Sydney', '2026-04-03T15:30Z', '2026-04-04T15:30Z'],
    ['30 2 * * *', 'Australia/Sydney', '2026-04-04T15:30Z', '2026-04-05T16:30Z'],
    // An hourly job runs on both passes through the repeated hour, and skips the missing one.
    ['0 * * * *', 'Europe/Berlin', '2026-10-25T00:00Z', '2026-10-25T01:00Z'],
    ['0 * * * *', 'Europe/Berlin', '2026-03-29T00:00Z', '2026-03-29T01:00Z'],
    // 29 February: the next one is in 2028, then 2032.
    ['0 0 29 2 *', 'UTC', '2026-03-01T00:00Z', '2028-02-29T00:00Z'],
    ['0 0 29 2 *', 'UTC', '2028-02-29T00:00Z', '2032-02-29T00:00Z'],
  ])('%s in %s after %s is expected at %s', (expr, timezone, afterIso, expectedIso) => {
    expect(nextExpectedAt({ kind: 'cron', expr, timezone }, at(afterIso))).toBe(at(expectedIso));
  });
});

describe('a daemon on a fake clock', () => {
  let daemon: Daemon | undefined;
  let dir: ReturnType<typeof tempDir> | undefined;
  afterEach(async () => {
    await daemon?.close();
    dir?.remove();
    daemon = undefined;
  });

  async function start(startAt: number, job: YamlValue): Promise<FakeClock> {
    dir = tempDir();
    const clock = new FakeClock(startAt);
    const yaml = configYaml({ monitors: { job } });
    daemon = await startDaemon(configFrom(dir.path, yaml), clock);
    return clock;
  }

  const ping = async () => (await fetch(`${daemon?.url}/ping/${KEY}/job`)).status;
  const status = () => daemon?.monitors.bySlug('job')?.state.status;
  const transitions = () =>
    daemon?.store.db
      .prepare(
        'SELECT at, to_status AS status, deadline_at AS deadline FROM transitions ORDER BY id',
      )
      .all() as { at: number; status: string; deadline: number }[];

  /** Checks the millisecond before and the one at each boundary: late at `dueAt`, down after grace. */
  function expectBoundaries(clock: FakeClock, dueAt: number, graceMs: number): void {
    clock.advanceTo(dueAt - 1);
    expect(status()).toBe('up');
    clock.advanceTo(dueAt);
    expect(status()).toBe('late');
    clock.advanceTo(dueAt + graceMs - 1);
    expect(status()).toBe('late');
    clock.advanceTo(dueAt + graceMs);
    expect(status()).toBe('down');
    expect(transitions().slice(-2)).toEqual([
      { at: dueAt, status: 'late', deadline: dueAt },
      { at: dueAt + graceMs, status: 'down', deadline: dueAt },
    ]);
  }

  it.each([
    ['0 9 * * *', 'Europe/Berlin', '2026-03-28T08:00Z', '2026-03-29T07:00Z'],
    ['0 9 * * *', 'Europe/Berlin', '2026-10-24T07:00Z', '2026-10-25T08:00Z'],
    ['0 9 * * *', 'America/New_York', '2026-03-07T14:00Z', '2026-03-08T13:00Z'],
    ['0 9 * * *', 'America/New_York', '2026-10-31T13:00Z', '2026-11-01T14:00Z'],
    ['0 9 * * *', 'Australia/Sydney', '2026-04-03T22:00Z', '2026-04-04T23:00Z'],
    ['0 9 * * *', 'Australia/Sydney', '2026-10-02T23:00Z', '2026-10-03T22:00Z'],
    ['0 9 * * *', 'Asia/Kolkata', '2026-03-28T03:30Z', '2026-03-29T03:30Z'],
    ['0 9 * * *', 'Asia/Kolkata', '2026-10-24T03:30Z', '2026-10-25T03:30Z'],
    // In the skipped hour, and in the repeated one.
    ['30 2 * * *', 'Europe/Berlin', '2026-03-28T01:30Z', '2026-03-29T01:00Z'],
    ['30 2 * * *', 'Europe/Berlin', '2026-10-24T00:30Z', '2026-10-25T00:30Z'],
    ['30 1 * * *', 'America/New_York', '2026-10-31T05:30Z', '2026-11-01T05:30Z'],
    ['30 2 * * *', 'Australia/Sydney', '2026-10-02T16:30Z', '2026-10-03T16:00Z'],
  ])(
    'alerts a job on %s in %s pinged at %s exactly at %s plus grace, not a millisecond before',
    async (expr, zone, pingIso, dueIso) => {
      const clock = await start(at(pingIso), { cron: expr, timezone: zone, grace: '10m' });
      expect(await ping()).toBe(200);
      expectBoundaries(clock, at(dueIso), 10 * MIN);
    },
  );

  it('alerts a 29 February job in 2028, after the host slept most of the two years', async () => {
    const clock = await start(at('2026-03-01T00:00Z'), { cron: '0 0 29 2 *', grace: '1h' });
    expect(await ping()).toBe(200);
    const dueAt = at('2028-02-29T00:00Z');
    clock.suspend(dueAt - 5_000 - clock.now());
    expectBoundaries(clock, dueAt, 60 * MIN);
  });

  it('waits 30 days (past the 24.8-day timer limit) and alerts exactly then', async () => {
    const clock = await start(at('2026-01-01T00:00Z'), { every: '30d', grace: '1h' });
    expect(await ping()).toBe(200);
    expectBoundaries(clock, clock.now() + 30 * DAY, 60 * MIN);
    expect(clock.waits.every((w) => w >= 0 && w <= 1_000)).toBe(true);
  });
});
