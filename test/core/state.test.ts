import { describe, expect, it } from 'vitest';
import { changed, initialState, nextDeadline, onDeadline, onPing } from '../../src/core/state.js';
import {
  DEFAULT_POLICY,
  type AlertEvent,
  type MonitorSpec,
  type MonitorState,
  type Schedule,
  type Status,
} from '../../src/core/types.js';

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;

function spec(schedule: Schedule, graceMs: number, extra: Partial<MonitorSpec> = {}): MonitorSpec {
  return {
    slug: 'job',
    schedule,
    graceMs,
    maxRuntimeMs: graceMs,
    minRuntimeMs: null,
    earlyMs: null,
    waitForFirstPing: false,
    policy: DEFAULT_POLICY,
    ...extra,
  };
}

function policy(events: AlertEvent[], alertAfter = 1, repeatMs: number | null = null) {
  return { policy: { events: new Set(events), alertAfter, repeatMs } };
}

function upSince(lastSuccessAt: number): MonitorState {
  return {
    ...initialState(lastSuccessAt - 1),
    status: 'up',
    lastSuccessAt,
    lastPingAt: lastSuccessAt,
  };
}

/** The status a monitor that last succeeded at `lastSuccessAt` has at `now`, by deadlines alone. */
function statusAt(s: MonitorSpec, lastSuccessAt: number, now: number): Status {
  return onDeadline(s, upSince(lastSuccessAt), 0, now).state.status;
}

// Each case: a schedule, the last success, the expected time it implies, the grace.
const cases: [string, Schedule, string, string, number][] = [
  [
    'every 5m',
    { kind: 'every', periodMs: 5 * MIN },
    '2026-05-01T10:00:00.000Z',
    '2026-05-01T10:05:00.000Z',
    2 * MIN,
  ],
  [
    'cron in UTC',
    { kind: 'cron', expr: '0 2 * * *', timezone: 'UTC' },
    '2026-05-01T02:00:10.000Z',
    '2026-05-02T02:00:00.000Z',
    30 * MIN,
  ],
  [
    'cron in Berlin on spring-forward day',
    { kind: 'cron', expr: '30 2 * * *', timezone: 'Europe/Berlin' },
    '2026-03-28T01:30:00.000Z',
    '2026-03-29T01:00:00.000Z',
    30 * MIN,
  ],
  [
    'cron in Berlin on fall-back day',
    { kind: 'cron', expr: '30 2 * * *', timezone: 'Europe/Berlin' },
    '2026-10-24T00:30:00.000Z',
    '2026-10-25T00:30:00.000Z',
    90 * MIN,
  ],
  [
    'hourly cron across the repeated hour',
    { kind: 'cron', expr: '0 * * * *', timezone: 'Europe/Berlin' },
    '2026-10-25T00:00:00.000Z',
    '2026-10-25T01:00:00.000Z',
    10 * MIN,
  ],
];

describe.each(cases)('deadlines for %s', (_name, schedule, last, expected, graceMs) => {
  const s = spec(schedule, graceMs);
  const lastAt = at(last);
  const expectedAt = at(expected);
  const downAt = expectedAt + graceMs;

  it.each([
    ['the millisecond before the expected time', expectedAt - 1, 'up'],
    ['the expected time', expectedAt, 'late'],
    ['the millisecond after the expected time', expectedAt + 1, 'late'],
    ['the millisecond before grace ends', downAt - 1, 'late'],
    ['the moment grace ends', downAt, 'down'],
    ['the millisecond after grace ends', downAt + 1, 'down'],
  ] as const)('at %s the monitor is %s', (_when, now, status) => {
    expect(statusAt(s, lastAt, now)).toBe(status);
  });

  it('arms the late deadline at the expected time and the down deadline at the end of grace', () => {
    expect(nextDeadline(s, upSince(lastAt), 0)).toEqual({
      at: expectedAt,
      kind: 'late',
      dueAt: expectedAt,
    });
    const late = onDeadline(s, upSince(lastAt), 0, expectedAt).state;
    expect(nextDeadline(s, late, 0)).toEqual({ at: downAt, kind: 'down', dueAt: expectedAt });
  });
});

describe('onDeadline', () => {
  const s = spec({ kind: 'every', periodMs: 5 * MIN }, 2 * MIN);

  it('goes late then down in one pass when both are due, with one down alert', () => {
    const { state, transitions } = onDeadline(s, upSince(0), 0, 10 * MIN);
    expect(state.status).toBe('down');
    expect(transitions.map((t) => [t.from, t.to, t.reason, t.alert])).toEqual([
      ['up', 'late', 'timeout', null],
      ['late', 'down', 'timeout', 'down'],
    ]);
    expect(transitions[1]?.deadlineAt).toBe(5 * MIN);
  });

  it('arms a new monitor from when it first appeared', () => {
    expect(nextDeadline(s, initialState(1_000), 0)).toEqual({
      at: 1_000 + 5 * MIN,
      kind: 'late',
      dueAt: 1_000 + 5 * MIN,
    });
  });

  it('does not arm a monitor that waits for its first ping', () => {
    const waiting = spec({ kind: 'every', periodMs: 5 * MIN }, 2 * MIN, { waitForFirstPing: true });
    expect(nextDeadline(waiting, initialState(0), 0)).toBeNull();
  });

  it('gives a deadline missed before start-up one grace period from start-up', () => {
    const startedAt = 60 * MIN;
    const { state, transitions } = onDeadline(s, upSince(0), startedAt, startedAt);
    expect(state.status).toBe('late');
    expect(transitions).toHaveLength(1);
    expect(nextDeadline(s, state, startedAt)).toEqual({
      at: startedAt + 2 * MIN,
      kind: 'down',
      dueAt: 5 * MIN,
    });
    expect(onDeadline(s, state, startedAt, startedAt + 2 * MIN - 1).state.status).toBe('late');
    expect(onDeadline(s, state, startedAt, startedAt + 2 * MIN).state.status).toBe('down');
  });

  it('keeps the natural down deadline when the expected time is after start-up', () => {
    expect(nextDeadline(s, { ...upSince(0), status: 'late' }, 4 * MIN)).toEqual({
      at: 7 * MIN,
      kind: 'down',
      dueAt: 5 * MIN,
    });
  });

  it('has no deadline while down or paused', () => {
    expect(nextDeadline(s, { ...upSince(0), status: 'down' }, 0)).toBeNull();
    expect(nextDeadline(s, { ...upSince(0), status: 'paused' }, 0)).toBeNull();
  });
});

describe('onPing', () => {
  const s = spec({ kind: 'every', periodMs: 5 * MIN }, 2 * MIN, { maxRuntimeMs: 30 * MIN });
  const ping = (
    kind: 'success' | 'start' | 'fail' | 'log',
    pingAt: number,
    runId: string | null = null,
  ) => ({ kind, at: pingAt, runId });

  it('brings a new monitor up and counts the schedule from the ping', () => {
    const { state, transitions } = onPing(s, initialState(0), ping('success', 1_000));
    expect(state.status).toBe('up');
    expect(transitions.map((t) => [t.from, t.to, t.alert])).toEqual([['new', 'up', null]]);
    expect(nextDeadline(s, state, 0)?.at).toBe(1_000 + 5 * MIN);
  });

  it('makes the monitor down at once on a failure, with a down alert and no grace', () => {
    const { state, transitions } = onPing(s, upSince(0), ping('fail', 1_000));
    expect(state.status).toBe('down');
    expect(transitions.map((t) => [t.to, t.reason, t.alert])).toEqual([['down', 'fail', 'down']]);
  });

  it('sends one recovery alert when a down monitor is pinged', () => {
    const down = onPing(s, upSince(0), ping('fail', 1_000)).state;
    const { state, transitions } = onPing(s, down, ping('success', 2_000));
    expect(state.status).toBe('up');
    expect(transitions.map((t) => [t.from, t.to, t.alert])).toEqual([['down', 'up', 'up']]);
  });

  it('does not alert again on a failure while already down', () => {
    const down = onPing(s, upSince(0), ping('fail', 1_000)).state;
    expect(onPing(s, down, ping('fail', 2_000)).transitions).toEqual([]);
  });

  it('runs after a start, goes down when max-runtime passes, and measures the run', () => {
    const running = onPing(s, upSince(0), ping('start', 1_000, 'r1')).state;
    expect(running.status).toBe('running');
    expect(nextDeadline(s, running, 0)).toEqual({
      at: 1_000 + 30 * MIN,
      kind: 'down',
      dueAt: 1_000 + 30 * MIN,
    });
    expect(onDeadline(s, running, 0, 1_000 + 30 * MIN - 1).state.status).toBe('running');
    expect(onDeadline(s, running, 0, 1_000 + 30 * MIN).state.status).toBe('down');
    const done = onPing(s, running, ping('success', 61_000, 'r1'));
    expect(done.state.status).toBe('up');
    expect(done.durationMs).toBe(60_000);
  });

  it('keeps the current run open when an overlapping run with another rid ends', () => {
    const running = onPing(s, upSince(0), ping('start', 1_000, 'r2')).state;
    const other = onPing(s, running, ping('success', 2_000, 'r1'));
    expect(other.state.status).toBe('running');
    expect(other.durationMs).toBeNull();
    expect(other.state.lastSuccessAt).toBe(2_000);
  });

  it('keeps a down monitor down on a start, until the run succeeds', () => {
    const down = onPing(s, upSince(0), ping('fail', 1_000)).state;
    const started = onPing(s, down, ping('start', 2_000));
    expect(started.state.status).toBe('down');
    expect(started.transitions).toEqual([]);
    expect(onPing(s, started.state, ping('success', 3_000)).durationMs).toBe(1_000);
  });

  it('changes nothing on a log ping', () => {
    const state = upSince(0);
    expect(onPing(s, state, ping('log', 1_000))).toEqual({
      state,
      transitions: [],
      durationMs: null,
    });
  });
});

describe('alert policy', () => {
  const every = { kind: 'every', periodMs: 5 * MIN } as const;
  const ping = (kind: 'success' | 'start' | 'fail', pingAt: number) => ({
    kind,
    at: pingAt,
    runId: null,
  });
  const alerts = (ts: readonly { alert: AlertEvent | null }[]) =>
    ts.map((t) => t.alert).filter((a) => a !== null);

  it('alerts only after alert-after consecutive misses, counting each missed expected time', () => {
    const s = spec(every, 1 * MIN, policy(['down', 'up'], 3));
    // Misses at 5m (+1m grace), 10m (+1m), 15m (+1m): down at 6m, alert at 16m.
    const first = onDeadline(s, upSince(0), 0, 6 * MIN);
    expect(first.state.status).toBe('down');
    expect(alerts(first.transitions)).toEqual([]);
    expect(nextDeadline(s, first.state, 0)).toEqual({
      at: 11 * MIN,
      kind: 'miss',
      dueAt: 10 * MIN,
    });
    expect(alerts(onDeadline(s, first.state, 0, 16 * MIN - 1).transitions)).toEqual([]);
    const third = onDeadline(s, first.state, 0, 16 * MIN);
    expect(alerts(third.transitions)).toEqual(['down']);
    expect(third.state).toMatchObject({ failures: 3, alerted: true });
    expect(nextDeadline(s, third.state, 0)).toBeNull();
  });

  it('counts failure pings and misses together, and a success resets the count', () => {
    const s = spec(every, 1 * MIN, policy(['down', 'up'], 2));
    const failed = onPing(s, upSince(0), ping('fail', 1 * MIN));
    expect(failed.state).toMatchObject({ status: 'down', failures: 1, alerted: false });
    expect(alerts(failed.transitions)).toEqual([]);
    const recovered = onPing(s, failed.state, ping('success', 2 * MIN));
    expect(alerts(recovered.transitions)).toEqual([]);
    expect(recovered.state.failures).toBe(0);
    const again = onPing(
      s,
      onPing(s, recovered.state, ping('fail', 3 * MIN)).state,
      ping('fail', 4 * MIN),
    );
    expect(alerts(again.transitions)).toEqual(['down']);
  });

  it('sends a recovery alert only for a down that was alerted', () => {
    const s = spec(every, 1 * MIN, policy(['down', 'up'], 2));
    const quietDown = onPing(s, upSince(0), ping('fail', 1 * MIN)).state;
    expect(alerts(onPing(s, quietDown, ping('success', 2 * MIN)).transitions)).toEqual([]);
  });

  it('sends reminders every repeat while down, and none after recovery', () => {
    const s = spec(every, 1 * MIN, policy(['down', 'up'], 1, 60 * MIN));
    const down = onPing(s, upSince(0), ping('fail', 1 * MIN)).state;
    expect(nextDeadline(s, down, 0)).toEqual({ at: 61 * MIN, kind: 'reminder', dueAt: 61 * MIN });
    const one = onDeadline(s, down, 0, 61 * MIN);
    expect(alerts(one.transitions)).toEqual(['reminder']);
    expect(nextDeadline(s, one.state, 0)?.at).toBe(121 * MIN);
    const up = onPing(s, one.state, ping('success', 90 * MIN)).state;
    expect(nextDeadline(s, up, 0)?.kind).toBe('late');
  });

  it('alerts a failure ping while already down only when fail is enabled', () => {
    const quiet = spec(every, 1 * MIN, policy(['down', 'up']));
    const loud = spec(every, 1 * MIN, policy(['down', 'up', 'fail']));
    const down = onPing(quiet, upSince(0), ping('fail', 1 * MIN)).state;
    expect(onPing(quiet, down, ping('fail', 2 * MIN)).transitions).toEqual([]);
    expect(alerts(onPing(loud, down, ping('fail', 2 * MIN)).transitions)).toEqual(['fail']);
  });

  it('alerts on entering grace when late is enabled', () => {
    const s = spec(every, 1 * MIN, policy(['down', 'up', 'late']));
    expect(alerts(onDeadline(s, upSince(0), 0, 5 * MIN).transitions)).toEqual(['late']);
  });

  it('names a started run that passes max-runtime start-overdue, and alerts it alone when only that is enabled', () => {
    const both = spec(every, 1 * MIN, { maxRuntimeMs: 10 * MIN });
    const only = spec(every, 1 * MIN, { maxRuntimeMs: 10 * MIN, ...policy(['start-overdue']) });
    const running = onPing(both, upSince(0), ping('start', 1 * MIN)).state;
    expect(alerts(onDeadline(both, running, 0, 11 * MIN).transitions)).toEqual(['start-overdue']);
    expect(alerts(onDeadline(only, running, 0, 11 * MIN).transitions)).toEqual(['start-overdue']);
    expect(alerts(onPing(only, upSince(0), ping('fail', 1 * MIN)).transitions)).toEqual([]);
  });

  it('records a down without alerting when down is not an enabled event', () => {
    const s = spec(every, 1 * MIN, policy(['up']));
    const step = onDeadline(s, upSince(0), 0, 6 * MIN);
    expect(step.state).toMatchObject({ status: 'down', alerted: false });
    expect(alerts(step.transitions)).toEqual([]);
  });
});

describe('changed', () => {
  const base: MonitorState = {
    ...initialState(1_000),
    status: 'down',
    lastPingAt: 2_000,
    countFrom: 3_000,
    suppressedBy: 'parent',
  };

  it('makes the changes given, null ones included, and keeps every other field', () => {
    const next = changed(base, { status: 'up', countFrom: null, failures: 0, heldUntil: 9_000 });
    expect(next).toEqual({
      ...base,
      status: 'up',
      countFrom: null,
      failures: 0,
      heldUntil: 9_000,
    });
    expect(base.status).toBe('down');
  });

  it('builds every state in one order of fields, the same as a new state and a loaded one', () => {
    const order = Object.keys(initialState(0));
    expect(Object.keys(changed(base, { alerted: true }))).toEqual(order);
    expect(Object.keys(changed(initialState(0), {}))).toEqual(order);
  });
});
