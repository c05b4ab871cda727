import { describe, expect, it } from 'vitest';
import {
  applyDeadlines,
  applyPing,
  deadlineAt,
  pause,
  resume,
  snooze,
  type ActionStep,
} from '../../src/core/control.js';
import { initialState, type Step } from '../../src/core/state.js';
import { DEFAULT_POLICY, type MonitorSpec, type MonitorState } from '../../src/core/types.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

const spec: MonitorSpec = {
  slug: 'job',
  schedule: { kind: 'every', periodMs: HOUR },
  graceMs: 5 * MIN,
  maxRuntimeMs: 5 * MIN,
  minRuntimeMs: null,
  earlyMs: null,
  waitForFirstPing: false,
  policy: DEFAULT_POLICY,
};

const upAt = (at: number): MonitorState => ({
  ...initialState(at - 1),
  status: 'up',
  lastPingAt: at,
  lastSuccessAt: at,
});

function done(step: ActionStep): Step {
  if ('conflict' in step) throw new Error(step.conflict);
  return step;
}

const success = (at: number) => ({ kind: 'success' as const, at, runId: null });
const fail = (at: number) => ({ kind: 'fail' as const, at, runId: null });

describe('pause', () => {
  it('makes the monitor paused with a pause transition, no alert and no deadline', () => {
    const step = done(pause(spec, upAt(T0), T0 + MIN));
    expect(step.state.status).toBe('paused');
    expect(step.transitions).toEqual([
      {
        slug: 'job',
        at: T0 + MIN,
        from: 'up',
        to: 'paused',
        reason: 'pause',
        deadlineAt: null,
        alert: null,
      },
    ]);
    expect(deadlineAt(spec, step.state, 0)).toBeNull();
  });

  it('refuses to pause a paused monitor', () => {
    const paused = done(pause(spec, upAt(T0), T0)).state;
    expect(pause(spec, paused, T0 + 1)).toEqual({ conflict: 'the monitor is already paused' });
  });

  it('records pings while paused without changing the status', () => {
    const paused = done(pause(spec, upAt(T0), T0)).state;
    const failed = applyPing(spec, paused, fail(T0 + MIN));
    expect(failed.transitions).toEqual([]);
    const ok = applyPing(spec, failed.state, success(T0 + 2 * MIN));
    expect(ok.state).toMatchObject({
      status: 'paused',
      lastPingAt: T0 + 2 * MIN,
      lastSuccessAt: T0 + 2 * MIN,
    });
  });
});

describe('resume', () => {
  it('arms the monitor one period after the resume, so nothing missed while paused alerts', () => {
    const paused = done(pause(spec, upAt(T0), T0)).state;
    const resumedAt = T0 + 5 * HOUR;
    const step = done(resume(spec, paused, resumedAt));
    expect(step.state.status).toBe('up');
    expect(step.transitions.map((t) => [t.from, t.to, t.reason, t.alert])).toEqual([
      ['paused', 'up', 'resume', null],
    ]);
    expect(deadlineAt(spec, step.state, 0)).toBe(resumedAt + HOUR);
    expect(applyDeadlines(spec, step.state, 0, resumedAt + HOUR - 1).transitions).toEqual([]);
  });

  it('counts from the last success when it came after the resume time would', () => {
    const paused = done(pause(spec, upAt(T0), T0)).state;
    const pinged = applyPing(spec, paused, success(T0 + 30 * MIN)).state;
    const step = done(resume(spec, pinged, T0 + 10 * MIN));
    expect(deadlineAt(spec, step.state, 0)).toBe(T0 + 90 * MIN);
  });

  it('makes a monitor that never succeeded new again', () => {
    const paused = done(pause(spec, initialState(T0), T0)).state;
    expect(done(resume(spec, paused, T0 + HOUR)).state.status).toBe('new');
  });

  it('refuses to resume a monitor neither paused nor snoozed', () => {
    expect(resume(spec, upAt(T0), T0)).toEqual({
      conflict: 'the monitor is neither paused nor snoozed',
    });
  });
});

describe('snooze', () => {
  const down = HOUR + 5 * MIN; // after the last success: expected at 1h, down when the 5m grace ends

  it('is recorded as a transition from the status to itself', () => {
    const step = done(snooze(spec, upAt(T0), T0, 2 * HOUR));
    expect(step.state.snoozedUntil).toBe(T0 + 2 * HOUR);
    expect(step.transitions.map((t) => [t.from, t.to, t.reason, t.alert])).toEqual([
      ['up', 'up', 'snooze', null],
    ]);
  });

  it('changes statuses as usual but queues no alert while snoozed', () => {
    const snoozed = done(snooze(spec, upAt(T0), T0, 2 * HOUR)).state;
    const step = applyDeadlines(spec, snoozed, 0, T0 + down);
    expect(step.state.status).toBe('down');
    expect(step.transitions.map((t) => [t.to, t.alert])).toEqual([
      ['late', null],
      ['down', null],
    ]);
  });

  it('sends the down alert it held back when the snooze ends', () => {
    const snoozed = done(snooze(spec, upAt(T0), T0, 2 * HOUR)).state;
    const quiet = applyDeadlines(spec, snoozed, 0, T0 + down).state;
    expect(deadlineAt(spec, quiet, 0)).toBe(T0 + 2 * HOUR);
    expect(applyDeadlines(spec, quiet, 0, T0 + 2 * HOUR - 1).transitions).toEqual([]);
    const ended = applyDeadlines(spec, quiet, 0, T0 + 2 * HOUR);
    expect(ended.transitions.map((t) => [t.from, t.to, t.reason, t.alert])).toEqual([
      ['down', 'down', 'snooze', 'down'],
    ]);
    expect(ended.state).toMatchObject({ snoozedUntil: null, alerted: true });
    expect(deadlineAt(spec, ended.state, 0)).toBeNull();
  });

  it('ends silently when the monitor recovered meanwhile', () => {
    const snoozed = done(snooze(spec, upAt(T0), T0, 30 * MIN)).state;
    const failed = applyPing(spec, snoozed, fail(T0 + MIN));
    expect(failed.transitions.map((t) => [t.to, t.alert])).toEqual([['down', null]]);
    const recovered = applyPing(spec, failed.state, success(T0 + 2 * MIN));
    expect(recovered.transitions.map((t) => [t.to, t.alert])).toEqual([['up', null]]);
    expect(applyDeadlines(spec, recovered.state, 0, T0 + 30 * MIN).transitions).toEqual([]);
  });

  it('alerts the held-back down when a resume ends the snooze early', () => {
    const snoozed = done(snooze(spec, upAt(T0), T0, 2 * HOUR)).state;
    const failed = applyPing(spec, snoozed, fail(T0 + MIN)).state;
    const step = done(resume(spec, failed, T0 + 10 * MIN));
    expect(step.transitions.map((t) => [t.from, t.to, t.reason, t.alert])).toEqual([
      ['down', 'down', 'resume', 'down'],
    ]);
    expect(step.state.snoozedUntil).toBeNull();
  });

  it('alerts again once the snooze is over', () => {
    const snoozed = done(snooze(spec, upAt(T0), T0, 30 * MIN)).state;
    const ended = applyDeadlines(spec, snoozed, 0, T0 + 30 * MIN).state;
    const step = applyPing(spec, ended, fail(T0 + 30 * MIN + 1));
    expect(step.transitions.map((t) => [t.to, t.alert])).toEqual([['down', 'down']]);
  });

  it('is refused while paused', () => {
    const paused = done(pause(spec, upAt(T0), T0)).state;
    expect(snooze(spec, paused, T0, HOUR)).toEqual({
      conflict: 'the monitor is paused; resume it instead',
    });
  });
});
