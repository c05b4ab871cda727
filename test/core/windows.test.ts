// Maintenance windows in the pure core: open at its start (inclusive), over at its end
// (exclusive), at the ms before, at and after each, in UTC and in Europe/Berlin on both 2026 DST
// days (29 March: 02:00 CET jumps to 03:00 CEST; 25 October: 03:00 CEST falls back to 02:00 CET).
import { describe, expect, it } from 'vitest';
import type { MaintenanceWindow } from '../../src/core/types.js';
import { maintenanceEndAt, nextMaintenanceAt } from '../../src/core/windows.js';
import { instantOf } from '../../src/core/zoned-time.js';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const cron = (expr: string, timezone: string, forMs: number): MaintenanceWindow => ({
  kind: 'cron',
  expr,
  timezone,
  forMs,
});

/** [window, its start, its end]: checked the ms before, at and after each. */
const cases: [string, MaintenanceWindow, number, number][] = [
  [
    'UTC, Sunday 03:00 for 2h',
    cron('0 3 * * 0', 'UTC', 2 * HOUR),
    at('2026-03-29T03:00:00Z'),
    at('2026-03-29T05:00:00Z'),
  ],
  [
    'Berlin on 29 March, 01:00 for 2h: ends 03:00 CEST (1h of real time)',
    cron('0 1 * * 0', 'Europe/Berlin', 2 * HOUR),
    at('2026-03-29T00:00:00Z'),
    at('2026-03-29T01:00:00Z'),
  ],
  [
    'Berlin on 29 March, 02:30 (skipped) for 1h: opens at 03:00 CEST, ends 04:00 CEST',
    cron('30 2 * * 0', 'Europe/Berlin', HOUR),
    at('2026-03-29T01:00:00Z'),
    at('2026-03-29T02:00:00Z'),
  ],
  [
    'Berlin on 25 October, 01:00 for 2h: ends 03:00 CET (3h of real time)',
    cron('0 1 * * 0', 'Europe/Berlin', 2 * HOUR),
    at('2026-10-24T23:00:00Z'),
    at('2026-10-25T02:00:00Z'),
  ],
  [
    'Berlin on 25 October, 02:30 (repeated) for 1h: opens at the first 02:30, ends 03:30 CET',
    cron('30 2 * * 0', 'Europe/Berlin', HOUR),
    at('2026-10-25T00:30:00Z'),
    at('2026-10-25T02:30:00Z'),
  ],
  [
    'a one-off window',
    { kind: 'once', fromAt: at('2026-10-25T00:00:00Z'), untilAt: at('2026-10-25T06:00:00Z') },
    at('2026-10-25T00:00:00Z'),
    at('2026-10-25T06:00:00Z'),
  ],
];

describe.each(cases)('%s', (_name, window, startAt, endAt) => {
  it.each([
    ['is closed the ms before it starts', startAt - 1, null],
    ['is open the moment it starts', startAt, endAt],
    ['is open the ms after it starts', startAt + 1, endAt],
    ['is open the ms before it ends', endAt - 1, endAt],
    ['is over the moment it ends', endAt, null],
    ['is over the ms after it ends', endAt + 1, null],
  ])('%s', (_case, now, expected) => {
    expect(maintenanceEndAt([window], now)).toBe(expected);
  });

  it('is next to open the ms before it starts, and not at its start', () => {
    expect(nextMaintenanceAt([window], startAt - 1)).toBe(startAt);
    expect(nextMaintenanceAt([window], startAt)).not.toBe(startAt);
  });
});

describe('several windows', () => {
  it('opens a repeated wall-clock time once on the fall-back day', () => {
    const w = cron('30 2 * * *', 'Europe/Berlin', 10 * 60_000);
    const first = at('2026-10-25T00:30:00Z');
    expect(nextMaintenanceAt([w], first)).toBe(at('2026-10-26T01:30:00Z'));
  });

  it('carries a maintenance on through a window that opens before the open one ends', () => {
    const a = cron('0 3 * * *', 'UTC', 2 * HOUR);
    const b = cron('0 4 * * *', 'UTC', 2 * HOUR);
    expect(maintenanceEndAt([a, b], at('2026-03-29T03:30:00Z'))).toBe(at('2026-03-29T06:00:00Z'));
  });

  it('is open while any window is, until the latest end', () => {
    const long = cron('0 3 * * *', 'UTC', 4 * HOUR);
    const short = cron('0 3 * * *', 'UTC', HOUR);
    expect(maintenanceEndAt([short, long], at('2026-03-29T03:00:00Z'))).toBe(
      at('2026-03-29T07:00:00Z'),
    );
  });
});

describe('wall-clock times in a zone', () => {
  it.each([
    ['a skipped time moves forward by the jump', '2026-03-29T02:30', '2026-03-29T01:30:00Z'],
    ['a repeated time is its first occurrence', '2026-10-25T02:30', '2026-10-25T00:30:00Z'],
    ['an ordinary winter time', '2026-01-10T12:00', '2026-01-10T11:00:00Z'],
  ])('%s', (_name, wall, instant) => {
    expect(instantOf('Europe/Berlin', at(`${wall}:00Z`))).toBe(at(instant));
  });
});
