// Maintenance in the pure core: a down inside a window is recorded, not alerted, and alerts once
// when the window ends if still down; at the ms before, at and after each boundary, in UTC and in
// Europe/Berlin on both 2026 DST days.
import { describe, expect, it } from 'vitest';
import { applyDeadlines, applyPing, deadlineAt, rehold } from '../../src/core/maintenance.js';
import { initialState } from '../../src/core/state.js';
import {
  DEFAULT_POLICY,
  type MaintenanceWindow,
  type MonitorSpec,
  type MonitorState,
} from '../../src/core/types.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

const specWith = (maintenance: MaintenanceWindow[]): MonitorSpec => ({
  slug: 'backup',
  schedule: { kind: 'every', periodMs: 10 * MIN },
  graceMs: 2 * MIN,
  maxRuntimeMs: 2 * MIN,
  minRuntimeMs: null,
  earlyMs: null,
  waitForFirstPing: false,
  policy: DEFAULT_POLICY,
  maintenance,
});
const upAt = (at: number): MonitorState => ({
  ...initialState(at - 1),
  status: 'up',
  lastPingAt: at,
  lastSuccessAt: at,
});
const alerts = (step: { transitions: readonly { alert: unknown }[] }) =>
  step.transitions.filter((t) => t.alert !== null).map((t) => t.alert);

/** [zone, window, its start, its end] */
const cases: [string, MaintenanceWindow, number, number][] = [
  [
    'UTC',
    { kind: 'cron', expr: '0 3 * * 0', timezone: 'UTC', forMs: 2 * HOUR },
    Date.parse('2026-03-29T03:00:00Z'),
    Date.parse('2026-03-29T05:00:00Z'),
  ],
  [
    'Europe/Berlin on 29 March (ends 03:00 CEST)',
    { kind: 'cron', expr: '0 1 * * 0', timezone: 'Europe/Berlin', forMs: 2 * HOUR },
    Date.parse('2026-03-29T00:00:00Z'),
    Date.parse('2026-03-29T01:00:00Z'),
  ],
  [
    'Europe/Berlin on 25 October (ends 03:00 CET)',
    { kind: 'cron', expr: '0 1 * * 0', timezone: 'Europe/Berlin', forMs: 2 * HOUR },
    Date.parse('2026-10-24T23:00:00Z'),
    Date.parse('2026-10-25T02:00:00Z'),
  ],
];

describe.each(cases)('a window in %s', (_zone, window, startAt, endAt) => {
  const spec = specWith([window]);
  /** Up with its down (grace ended) falling at `downAt`. */
  const downAtState = (downAt: number) => upAt(downAt - 12 * MIN);

  it.each([
    ['the ms before it starts', startAt - 1, ['down'], null],
    ['the moment it starts', startAt, [], endAt],
    ['the ms after it starts', startAt + 1, [], endAt],
    ['the ms before it ends', endAt - 1, [], endAt],
    ['the moment it ends', endAt, ['down'], null],
  ])('a down at %s: alerts %j, held until %s', (_name, downAt, expected, heldUntil) => {
    const step = applyDeadlines(spec, downAtState(downAt), 0, downAt, null);
    expect(step.state.status).toBe('down');
    expect(alerts(step)).toEqual(expected);
    expect(step.state.heldUntil).toBe(heldUntil);
  });

  it('alerts a held down once, at the ms the window ends, if still down', () => {
    const held = applyDeadlines(spec, downAtState(startAt + MIN), 0, startAt + MIN, null).state;
    expect(deadlineAt(spec, held, 0)).toBe(endAt);
    expect(alerts(applyDeadlines(spec, held, 0, endAt - 1, null))).toEqual([]);
    const end = applyDeadlines(spec, held, 0, endAt, null);
    expect(end.transitions).toMatchObject([{ reason: 'maintenance', alert: 'down', at: endAt }]);
    expect(end.state).toMatchObject({ alerted: true, heldUntil: null });
    expect(alerts(applyDeadlines(spec, end.state, 0, endAt + 1, null))).toEqual([]);
  });

  it('alerts nothing at the end when the monitor recovered inside the window', () => {
    const held = applyDeadlines(spec, downAtState(startAt + MIN), 0, startAt + MIN, null).state;
    const up = applyPing(spec, held, { kind: 'success', at: endAt - 1, runId: null }, null);
    expect(alerts(up)).toEqual([]);
    expect(up.state).toMatchObject({ status: 'up', heldUntil: null });
    expect(alerts(applyDeadlines(spec, up.state, 0, endAt, null))).toEqual([]);
  });
});

describe('around a down alerted before the window', () => {
  const startAt = Date.parse('2026-03-29T03:00:00Z');
  const spec = specWith([{ kind: 'cron', expr: '0 3 * * 0', timezone: 'UTC', forMs: 2 * HOUR }]);
  const alerted = applyDeadlines(spec, upAt(startAt - 13 * MIN), 0, startAt - MIN, null).state;

  it('still alerts its recovery inside the window, so nobody believes it is still down', () => {
    const up = applyPing(spec, alerted, { kind: 'success', at: startAt + MIN, runId: null }, null);
    expect(alerts(up)).toEqual(['up']);
  });

  it('holds back a failure alert inside the window without holding a second down', () => {
    const fail = applyPing(spec, alerted, { kind: 'fail', at: startAt + MIN, runId: null }, null);
    expect(alerts(fail)).toEqual([]);
    expect(fail.state.heldUntil).toBeNull();
  });
});

describe('a reload', () => {
  const startAt = Date.parse('2026-03-29T03:00:00Z');
  const window: MaintenanceWindow = { kind: 'once', fromAt: startAt, untilAt: startAt + HOUR };
  const held = applyDeadlines(specWith([window]), upAt(startAt), 0, startAt + 12 * MIN, null).state;

  it('ends a hold at once when the window left the config', () => {
    const now = startAt + 20 * MIN;
    const next = rehold(specWith([]), held, now);
    expect(next?.heldUntil).toBe(now);
    const end = applyDeadlines(specWith([]), next ?? held, 0, now, null);
    expect(alerts(end)).toEqual(['down']);
  });

  it('moves a hold to the end of a window made longer', () => {
    const longer: MaintenanceWindow = { ...window, untilAt: startAt + 2 * HOUR };
    expect(rehold(specWith([longer]), held, startAt + 20 * MIN)?.heldUntil).toBe(
      startAt + 2 * HOUR,
    );
  });
});
