// The scheduler's own lateness, for overdue's health check: measured on the monotonic clock.
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { Scheduler } from '../../src/engine/scheduler.js';
import { FakeClock } from '../helpers/fake-clock.js';

/** A clock whose timers fire only when told to: a blocked event loop, as the scheduler sees it. */
class StuckClock implements Clock {
  monotonicMs = 0;
  readonly timers: (() => void)[] = [];
  now = () => this.monotonicMs;
  monotonic = () => this.monotonicMs;
  sinceBoot = () => this.monotonicMs;
  setTimer(fn: () => void): unknown {
    this.timers.push(fn);
    return this.timers.length;
  }
  clearTimer(): void {}
}

describe('Scheduler.latenessMs', () => {
  let scheduler: Scheduler | undefined;
  afterEach(() => scheduler?.close());

  it('is 0 when every deadline fires at its time', () => {
    const clock = new FakeClock(0);
    scheduler = new Scheduler(clock, () => undefined);
    scheduler.set('a', 500);
    clock.advance(2_000);
    expect(scheduler.latenessMs()).toBe(0);
  });

  it('grows while the armed timer is past due and has not fired', () => {
    const clock = new StuckClock();
    scheduler = new Scheduler(clock, () => undefined);
    scheduler.set('a', 500);
    clock.monotonicMs = 499;
    expect(scheduler.latenessMs()).toBe(0);
    clock.monotonicMs = 7_500;
    expect(scheduler.latenessMs()).toBe(7_000);
  });

  it('keeps the lateness of the last wake once it fired', () => {
    const clock = new StuckClock();
    scheduler = new Scheduler(clock, () => undefined);
    scheduler.set('a', 500);
    clock.monotonicMs = 3_500;
    clock.timers[0]?.();
    expect(scheduler.latenessMs()).toBe(3_000);
  });
});
