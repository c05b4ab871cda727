// depends-on in the pure core: suppression while a parent is down, release when it recovers, at
// the millisecond before, at and after each boundary.
import { describe, expect, it } from 'vitest';
import { applyDeadlines, applyPing, deadlineAt, release } from '../../src/core/dependencies.js';
import { snooze } from '../../src/core/control.js';
import { initialState } from '../../src/core/state.js';
import { DEFAULT_POLICY, type MonitorSpec, type MonitorState } from '../../src/core/types.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const MIN = 60_000;

const child: MonitorSpec = {
  slug: 'backup',
  schedule: { kind: 'every', periodMs: 10 * MIN },
  graceMs: 2 * MIN,
  maxRuntimeMs: 2 * MIN,
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
// Up at T0: late at T0 + 10m, down at T0 + 12m.
const DOWN_AT = T0 + 12 * MIN;

/** The child down at DOWN_AT while `parent` is down: suppressed. */
function suppressedChild(): MonitorState {
  return applyDeadlines(child, upAt(T0), 0, DOWN_AT, 'router').state;
}

describe('suppression: a down while a parent is down is recorded, not alerted', () => {
  it.each([
    ['the ms before grace ends', DOWN_AT - 1, 'late', null],
    ['the moment grace ends', DOWN_AT, 'down', 'router'],
    ['the ms after grace ends', DOWN_AT + 1, 'down', 'router'],
  ])('at %s', (_name, now, status, parent) => {
    const step = applyDeadlines(child, upAt(T0), 0, now, 'router');
    expect(step.state.status).toBe(status);
    expect(step.transitions.every((t) => t.alert === null)).toBe(true);
    expect(step.transitions.at(-1)?.parent ?? null).toBe(parent);
    expect(step.state.suppressedBy).toBe(parent);
  });

  it('alerts the same down when no parent is down', () => {
    const step = applyDeadlines(child, upAt(T0), 0, DOWN_AT, null);
    expect(step.transitions.at(-1)).toMatchObject({ to: 'down', alert: 'down' });
    expect(step.state.suppressedBy).toBeNull();
  });

  it('suppresses a failure ping while a parent is down', () => {
    const step = applyPing(child, upAt(T0), { kind: 'fail', at: T0 + MIN, runId: null }, 'nas');
    expect(step.transitions).toMatchObject([{ to: 'down', alert: null, parent: 'nas' }]);
    expect(step.state).toMatchObject({ alerted: false, suppressedBy: 'nas' });
  });

  it('recovers a suppressed child quietly: its down was never alerted', () => {
    const step = applyPing(
      child,
      suppressedChild(),
      { kind: 'success', at: DOWN_AT + MIN, runId: null },
      'router',
    );
    expect(step.transitions).toMatchObject([{ from: 'down', to: 'up', alert: null }]);
    expect(step.state.suppressedBy).toBeNull();
  });
});

describe('release: a child still down one grace after its parent recovered alerts once', () => {
  const RECOVERED_AT = DOWN_AT + 30 * MIN;
  const released = () => release(suppressedChild(), 'router', RECOVERED_AT) as MonitorState;
  const RELEASE_ENDS = RECOVERED_AT + child.graceMs;

  it('is released only by the parent that suppressed it', () => {
    expect(release(suppressedChild(), 'nas', RECOVERED_AT)).toBeNull();
    expect(released()).toMatchObject({ suppressedBy: 'router', releasedAt: RECOVERED_AT });
    expect(release(released(), 'router', RECOVERED_AT + 1)).toBeNull();
  });

  it('arms a deadline one grace after the recovery', () => {
    expect(deadlineAt(child, suppressedChild(), 0)).toBeNull();
    expect(deadlineAt(child, released(), 0)).toBe(RELEASE_ENDS);
  });

  it.each([
    ['the ms before its grace ends', RELEASE_ENDS - 1, []],
    ['the moment its grace ends', RELEASE_ENDS, ['down']],
    ['the ms after its grace ends', RELEASE_ENDS + 1, ['down']],
  ])('at %s', (_name, now, alerts) => {
    const step = applyDeadlines(child, released(), 0, now, null);
    expect(step.transitions.map((t) => t.alert)).toEqual(alerts);
    if (alerts.length > 0)
      expect(step.transitions[0]).toMatchObject({
        from: 'down',
        to: 'down',
        reason: 'released',
        parent: 'router',
      });
  });

  it('alerts once: nothing more is due after the release alert', () => {
    const after = applyDeadlines(child, released(), 0, RELEASE_ENDS, null).state;
    expect(after).toMatchObject({ alerted: true, releasedAt: null, suppressedBy: null });
    expect(deadlineAt(child, after, 0)).toBeNull();
  });

  it('does not alert a child that pinged during its grace', () => {
    const up = applyPing(
      child,
      released(),
      { kind: 'success', at: RELEASE_ENDS - 1, runId: null },
      null,
    );
    expect(up.transitions.map((t) => t.alert)).toEqual([null]);
    expect(up.state.releasedAt).toBeNull();
  });

  it('is suppressed again when another parent is down when its grace ends', () => {
    const step = applyDeadlines(child, released(), 0, RELEASE_ENDS, 'nas');
    expect(step.transitions).toEqual([]);
    expect(step.state).toMatchObject({ suppressedBy: 'nas', releasedAt: null, alerted: false });
  });

  it('leaves a release that ends in a snooze to the end of the snooze, which alerts it', () => {
    const snoozed = snooze(child, released(), RECOVERED_AT, 10 * MIN);
    if ('conflict' in snoozed) throw new Error(snoozed.conflict);
    const quiet = applyDeadlines(child, snoozed.state, 0, RELEASE_ENDS, null);
    expect(quiet.transitions).toEqual([]);
    const end = applyDeadlines(child, quiet.state, 0, RECOVERED_AT + 10 * MIN, null);
    expect(end.transitions.map((t) => [t.reason, t.alert])).toEqual([['snooze', 'down']]);
  });

  it('does not let a snooze end alert a down its parent still suppresses', () => {
    const snoozed = snooze(child, suppressedChild(), DOWN_AT, 10 * MIN);
    if ('conflict' in snoozed) throw new Error(snoozed.conflict);
    const end = applyDeadlines(child, snoozed.state, 0, DOWN_AT + 10 * MIN, 'router');
    expect(end.transitions).toEqual([]);
  });
});
