// The daemon's clock: the wall clock without its steps, on a fake host clock. What the daemon does
// with a step or a suspend is in clock-steps.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/engine/scheduler.js';
import { SteadyClock, type ClockStep } from '../../src/engine/steady-clock.js';
import { silentLogger } from '../../src/platform/log.js';
import { FakeClock } from '../helpers/fake-clock.js';

const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const HOUR = 3_600_000;

describe('SteadyClock', () => {
  let steady: SteadyClock | undefined;
  afterEach(() => steady?.close());

  function setup() {
    const host = new FakeClock(T0);
    const steps: ClockStep[] = [];
    steady = new SteadyClock(host, (step) => steps.push(step), silentLogger);
    return { host, steps, steady };
  }

  it('gives the wall-clock time while the wall clock does not step', () => {
    const { host, steps, steady } = setup();
    host.advance(5 * HOUR + 123);
    steady.check();
    expect(steady.now()).toBe(host.now());
    expect(steps).toEqual([]);
  });

  it('gives elapsed time after a step until checked, then reports the step and takes up the wall clock', () => {
    const { host, steps, steady } = setup();
    host.advance(1_000);
    host.jump(HOUR);
    expect(steady.now()).toBe(T0 + 1_000);
    steady.check();
    expect(steps).toEqual([{ stepMs: HOUR, suspendedMs: 0, at: T0 + 1_000 + HOUR }]);
    expect(steady.now()).toBe(host.now());
  });

  it('tells a suspend of the host from a step of the wall clock', () => {
    const { host, steps, steady } = setup();
    host.suspend(HOUR);
    steady.check();
    expect(steps).toEqual([{ stepMs: 0, suspendedMs: HOUR, at: T0 + HOUR }]);
  });

  it('tells a suspend and a step back apart when both happened', () => {
    const { host, steps, steady } = setup();
    host.suspend(3 * HOUR);
    host.jump(-HOUR);
    steady.check();
    expect(steps).toEqual([{ stepMs: -HOUR, suspendedMs: 3 * HOUR, at: T0 + 2 * HOUR }]);
  });

  it('takes a difference of up to a second for no step', () => {
    const { host, steps, steady } = setup();
    host.jump(1_000);
    steady.check();
    expect(steps).toEqual([]);
    expect(steady.now()).toBe(T0);
  });

  it('checks by itself, in a timer of its own, once now() noticed a step', () => {
    const { host, steps, steady } = setup();
    host.jump(-HOUR);
    expect(steady.now()).toBe(T0);
    expect(steps).toEqual([]);
    host.advance(0);
    expect(steps).toEqual([{ stepMs: -HOUR, suspendedMs: 0, at: T0 - HOUR }]);
    steady.now();
    expect(host.pendingTimers).toBe(0);
  });

  it('lets a scheduler judge deadlines only after a step moved them', () => {
    const host = new FakeClock(T0);
    const fired: number[] = [];
    // As the daemon does: a step moves every deadline with it.
    const moved = (steady = new SteadyClock(
      host,
      (step) => scheduler.set('job', T0 + 10 * 60_000 + step.stepMs),
      silentLogger,
    ));
    const scheduler = new Scheduler(moved, (_keys, now) => fired.push(now), {
      beforeWake: () => moved.check(),
    });
    scheduler.set('job', T0 + 10 * 60_000);
    host.advance(9 * 60_000);
    host.jump(HOUR);
    host.advance(60_000 - 1);
    expect(fired).toEqual([]);
    host.advance(1);
    expect(fired).toEqual([T0 + HOUR + 10 * 60_000]);
    scheduler.close();
  });
});
