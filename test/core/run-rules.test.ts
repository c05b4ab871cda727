// min-runtime and early: a success that ends a run too short, or comes too early, is a failure.
// Boundaries to the millisecond: the ms before, at and after each, in UTC and in a DST zone.
import { describe, expect, it } from 'vitest';
import { initialState, nextDeadline, onPing } from '../../src/core/state.js';
import {
  DEFAULT_POLICY,
  type MonitorSpec,
  type MonitorState,
  type PingInput,
  type Schedule,
} from '../../src/core/types.js';

const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);

function spec(schedule: Schedule, extra: Partial<MonitorSpec> = {}): MonitorSpec {
  return {
    slug: 'job',
    schedule,
    graceMs: 5 * MIN,
    maxRuntimeMs: 60 * MIN,
    minRuntimeMs: null,
    earlyMs: null,
    waitForFirstPing: false,
    policy: DEFAULT_POLICY,
    ...extra,
  };
}

const upSince = (lastSuccessAt: number): MonitorState => ({
  ...initialState(lastSuccessAt - 1),
  status: 'up',
  lastSuccessAt,
  lastPingAt: lastSuccessAt,
});

const ping = (kind: PingInput['kind'], pingAt: number, durationMs?: number): PingInput =>
  durationMs === undefined
    ? { kind, at: pingAt, runId: null }
    : { kind, at: pingAt, runId: null, durationMs };

describe('min-runtime: a run shorter than it is a failure, reason too-short', () => {
  const s = spec({ kind: 'every', periodMs: 60 * MIN }, { minRuntimeMs: 10_000 });
  const startAt = at('2026-05-01T10:00:00.000Z');
  const running = onPing(s, upSince(startAt - 60 * MIN), ping('start', startAt)).state;

  it.each([
    ['the ms before min-runtime', 9_999, 'down', 'too-short'],
    ['exactly min-runtime', 10_000, 'up', 'ping'],
    ['the ms after min-runtime', 10_001, 'up', 'ping'],
  ])('a run ending %s after its start', (_name, runMs, status, reason) => {
    const step = onPing(s, running, ping('success', startAt + runMs));
    expect(step.state.status).toBe(status);
    expect(step.transitions.map((t) => t.reason)).toEqual([reason]);
    expect(step.durationMs).toBe(runMs);
  });

  it('alerts a too-short run as a down, with its run time', () => {
    const step = onPing(s, running, ping('success', startAt + 2_000));
    expect(step.transitions[0]).toMatchObject({ from: 'running', to: 'down', alert: 'down' });
    expect(step.state.lastSuccessAt).toBe(startAt - 60 * MIN);
  });

  it('takes the run time the client measured over the start-to-end time', () => {
    const step = onPing(s, running, ping('success', startAt + 60_000, 9_999));
    expect(step.transitions[0]?.reason).toBe('too-short');
    expect(step.durationMs).toBe(9_999);
  });

  it('does not judge a success without a run (no start, no duration sent)', () => {
    const step = onPing(s, upSince(startAt - 60 * MIN), ping('success', startAt));
    expect(step.state.status).toBe('up');
  });

  it('leaves a fail ping a fail, however short the run', () => {
    const step = onPing(s, running, ping('fail', startAt + 1));
    expect(step.transitions[0]?.reason).toBe('fail');
  });
});

describe('early: a success more than this before the expected time is a failure, reason too-early', () => {
  const cases: [string, Schedule, string, string][] = [
    // schedule, last success, the expected time it implies
    [
      'every 1h',
      { kind: 'every', periodMs: 60 * MIN },
      '2026-05-01T10:00:00.000Z',
      '2026-05-01T11:00:00.000Z',
    ],
    [
      'cron in UTC',
      { kind: 'cron', expr: '0 2 * * *', timezone: 'UTC' },
      '2026-05-01T02:01:00.000Z',
      '2026-05-02T02:00:00.000Z',
    ],
    [
      // 2026-03-29: Europe/Berlin springs forward at 02:00 local; 03:30 local is 01:30Z that day.
      'cron in Europe/Berlin across spring-forward',
      { kind: 'cron', expr: '30 3 * * *', timezone: 'Europe/Berlin' },
      '2026-03-28T02:31:00.000Z',
      '2026-03-29T01:30:00.000Z',
    ],
    [
      // 2026-10-25: Europe/Berlin falls back at 03:00 local; 03:30 local is 02:30Z that day.
      'cron in Europe/Berlin across fall-back',
      { kind: 'cron', expr: '30 3 * * *', timezone: 'Europe/Berlin' },
      '2026-10-24T01:31:00.000Z',
      '2026-10-25T02:30:00.000Z',
    ],
  ];
  const earlyMs = 10 * MIN;

  describe.each(cases)('%s', (_name, schedule, lastIso, expectedIso) => {
    const s = spec(schedule, { earlyMs });
    const windowAt = at(expectedIso) - earlyMs;
    it.each([
      ['the ms before the window', -1, 'down', 'too-early'],
      ['the start of the window', 0, 'up', null],
      ['the ms after the start of the window', 1, 'up', null],
    ])('a success at %s', (_case, offsetMs, status, reason) => {
      const step = onPing(s, upSince(at(lastIso)), ping('success', windowAt + offsetMs));
      expect(step.state.status).toBe(status);
      expect(step.transitions.map((t) => t.reason)).toEqual(reason === null ? [] : [reason]);
    });

    it('records the expected time as the deadline of a too-early failure', () => {
      const step = onPing(s, upSince(at(lastIso)), ping('success', windowAt - 1));
      expect(step.transitions[0]).toMatchObject({ deadlineAt: at(expectedIso), alert: 'down' });
    });
  });

  it('expects the next cron time after an early success, not the one it stood in for', () => {
    const s = spec({ kind: 'cron', expr: '0 2 * * *', timezone: 'UTC' }, { earlyMs });
    const early = onPing(
      s,
      upSince(at('2026-05-01T02:00:30.000Z')),
      ping('success', at('2026-05-02T01:55:00.000Z')),
    );
    expect(early.state.status).toBe('up');
    expect(nextDeadline(s, early.state, 0)).toMatchObject({
      dueAt: at('2026-05-03T02:00:00.000Z'),
    });
  });

  it('does not judge the first success of a new monitor', () => {
    const s = spec({ kind: 'every', periodMs: 60 * MIN }, { earlyMs });
    const fresh = initialState(at('2026-05-01T10:00:00.000Z'));
    expect(onPing(s, fresh, ping('success', at('2026-05-01T10:00:01.000Z'))).state.status).toBe(
      'up',
    );
  });

  it('does not judge the first success after a resume', () => {
    const s = spec({ kind: 'every', periodMs: 60 * MIN }, { earlyMs });
    const resumed = {
      ...upSince(at('2026-05-01T10:00:00.000Z')),
      resumedAt: at('2026-05-01T10:30:00.000Z'),
    };
    expect(onPing(s, resumed, ping('success', at('2026-05-01T10:31:00.000Z'))).state.status).toBe(
      'up',
    );
  });
});
