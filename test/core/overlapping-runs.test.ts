// Overlapping runs: every open run is kept (the newest MAX_OPEN_RUNS), an end pairs with its start
// by rid (or, without a rid, with the newest open run), each run's duration is recorded, and
// max-runtime watches the oldest open run.
import { describe, expect, it } from 'vitest';
import {
  initialState,
  MAX_OPEN_RUNS,
  nextDeadline,
  onDeadline,
  onPing,
} from '../../src/core/state.js';
import {
  DEFAULT_POLICY,
  type MonitorSpec,
  type MonitorState,
  type PingKind,
} from '../../src/core/types.js';

const MIN = 60_000;
const spec: MonitorSpec = {
  slug: 'job',
  schedule: { kind: 'every', periodMs: 60 * MIN },
  graceMs: 5 * MIN,
  maxRuntimeMs: 30 * MIN,
  minRuntimeMs: null,
  earlyMs: null,
  waitForFirstPing: false,
  policy: DEFAULT_POLICY,
};
const rid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const up: MonitorState = { ...initialState(0), status: 'up', lastSuccessAt: 0, lastPingAt: 0 };

/** Applies pings in order; returns the last state and every recorded duration. */
function apply(state: MonitorState, pings: [PingKind, number, string | null][]) {
  const durations: (number | null)[] = [];
  for (const [kind, at, runId] of pings) {
    const step = onPing(spec, state, { kind, at, runId });
    state = step.state;
    if (kind !== 'start') durations.push(step.durationMs);
  }
  return { state, durations };
}

describe('overlapping runs', () => {
  it('times each of 8 overlapping runs by its rid', () => {
    const starts = Array.from({ length: 8 }, (_, i) => ['start', i * 1_000, rid(i)] as const);
    // Ends in reverse order: the first started ends last.
    const ends = Array.from(
      { length: 8 },
      (_, i) => ['success', 20_000 + i * 1_000, rid(7 - i)] as const,
    );
    const { state, durations } = apply(
      up,
      [...starts, ...ends].map((p) => [...p]),
    );
    expect(durations).toEqual(
      Array.from({ length: 8 }, (_, i) => 20_000 + i * 1_000 - (7 - i) * 1_000),
    );
    expect(state.status).toBe('up');
    expect(state.runs).toEqual([]);
  });

  it('stays running while any run is open', () => {
    const { state } = apply(up, [
      ['start', 1_000, rid(1)],
      ['start', 2_000, rid(2)],
      ['success', 3_000, rid(2)],
    ]);
    expect(state.status).toBe('running');
    expect(state.runs.map((r) => r.runId)).toEqual([rid(1)]);
  });

  it('pairs an end without rid with the newest open run', () => {
    const { state, durations } = apply(up, [
      ['start', 1_000, rid(1)],
      ['start', 2_000, rid(2)],
      ['success', 5_000, null],
    ]);
    expect(durations).toEqual([3_000]);
    expect(state.runs.map((r) => r.runId)).toEqual([rid(1)]);
  });

  it('watches the oldest open run against max-runtime, and goes down when it passes', () => {
    const { state } = apply(up, [
      ['start', 1_000, rid(1)],
      ['start', 10 * MIN, rid(2)],
    ]);
    expect(nextDeadline(spec, state, 0)).toMatchObject({ at: 1_000 + 30 * MIN, kind: 'down' });
    const before = onDeadline(spec, state, 0, 1_000 + 30 * MIN - 1);
    expect(before.state.status).toBe('running');
    const after = onDeadline(spec, state, 0, 1_000 + 30 * MIN);
    expect(after.state.status).toBe('down');
    expect(after.transitions.map((t) => t.alert)).toEqual(['start-overdue']);
  });

  it('still times a run that passed max-runtime when its end comes, and recovers', () => {
    const running = apply(up, [['start', 0, rid(1)]]).state;
    const down = onDeadline(spec, running, 0, 30 * MIN).state;
    const step = onPing(spec, down, { kind: 'success', at: 40 * MIN, runId: rid(1) });
    expect(step.durationMs).toBe(40 * MIN);
    expect(step.state.status).toBe('up');
  });

  it('does not fall down again for a run already reported overdue when another run succeeds', () => {
    const running = apply(up, [['start', 0, rid(1)]]).state;
    const down = onDeadline(spec, running, 0, 30 * MIN).state;
    const { state } = apply(down, [
      ['start', 31 * MIN, rid(2)],
      ['success', 32 * MIN, rid(2)],
    ]);
    expect(state.status).toBe('up');
    expect(onDeadline(spec, state, 0, 33 * MIN).state.status).toBe('up');
  });

  it(`keeps the newest ${MAX_OPEN_RUNS} open runs and forgets older ones`, () => {
    const pings = Array.from(
      { length: MAX_OPEN_RUNS + 5 },
      (_, i) => ['start', i * 1_000, rid(i)] as [PingKind, number, string],
    );
    const { state } = apply(up, pings);
    expect(state.runs).toHaveLength(MAX_OPEN_RUNS);
    expect(state.runs[0]?.runId).toBe(rid(5));
  });
});
