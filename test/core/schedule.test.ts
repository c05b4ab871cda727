import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { nextExpectedAt } from '../../src/core/schedule.js';
import type { Schedule } from '../../src/core/types.js';

const at = (iso: string) => Date.parse(iso);
const cron = (expr: string, timezone = 'UTC'): Schedule => ({ kind: 'cron', expr, timezone });

describe('nextExpectedAt', () => {
  it('adds the period to the reference time for every', () => {
    expect(nextExpectedAt({ kind: 'every', periodMs: 300_000 }, 1_000)).toBe(301_000);
  });

  it.each([
    [
      'a cron time is strictly after the reference',
      cron('0 2 * * *'),
      '2026-05-01T02:00:00.000Z',
      '2026-05-02T02:00:00.000Z',
    ],
    [
      'the millisecond before a cron time expects that time',
      cron('0 2 * * *'),
      '2026-05-01T01:59:59.999Z',
      '2026-05-01T02:00:00.000Z',
    ],
    [
      'the cron time is taken in the monitor time zone',
      cron('0 2 * * *', 'Europe/Berlin'),
      '2026-05-01T12:00:00Z',
      '2026-05-02T00:00:00.000Z',
    ],
    [
      'a time skipped by spring-forward is expected right after the gap',
      cron('30 2 * * *', 'Europe/Berlin'),
      '2026-03-28T12:00:00Z',
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'the day after spring-forward is back to 02:30 CEST',
      cron('30 2 * * *', 'Europe/Berlin'),
      '2026-03-29T01:00:00Z',
      '2026-03-30T00:30:00.000Z',
    ],
    [
      'a time repeated by fall-back is expected once, at its first pass',
      cron('30 2 * * *', 'Europe/Berlin'),
      '2026-10-24T12:00:00Z',
      '2026-10-25T00:30:00.000Z',
    ],
    [
      'after the first pass of a repeated time the next is the next day',
      cron('30 2 * * *', 'Europe/Berlin'),
      '2026-10-25T00:30:00Z',
      '2026-10-26T01:30:00.000Z',
    ],
    [
      'an hourly pattern runs on both passes of the repeated hour',
      cron('0 * * * *', 'Europe/Berlin'),
      '2026-10-25T00:00:00Z',
      '2026-10-25T01:00:00.000Z',
    ],
    [
      'a 29 February schedule waits for the next leap year',
      cron('0 0 29 2 *'),
      '2026-01-01T00:00:00Z',
      '2028-02-29T00:00:00.000Z',
    ],
  ])('%s', (_name, schedule, ref, expected) => {
    expect(nextExpectedAt(schedule, at(ref))).toBe(at(expected));
  });

  it('answers from its memo exactly as croner does, in any order of reference times', () => {
    // Around the 2026 fall-back in Berlin, at and beside each cron boundary, in a shuffled order.
    const start = at('2026-10-25T00:00:00.000Z');
    const times: number[] = [];
    for (let m = 0; m < 240; m += 5) {
      for (const d of [-1_000, -1, 0, 1, 999, 1_000, 61_000]) times.push(start + m * 60_000 + d);
    }
    let seed = 7;
    times.sort(() => ((seed = (seed * 16807) % 2147483647) % 3) - 1);
    for (const expr of ['*/15 * * * *', '30 2 * * *', '0 * * * *']) {
      const fresh = (t: number) =>
        new Cron(expr, { timezone: 'Europe/Berlin', paused: true }).nextRun(new Date(t))?.getTime();
      const memoised = times.map((t) => nextExpectedAt(cron(expr, 'Europe/Berlin'), t));
      expect(memoised).toEqual(times.map(fresh));
    }
  });
});
