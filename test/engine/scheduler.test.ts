import { afterEach, describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/engine/scheduler.js';
import { FakeClock } from '../helpers/fake-clock.js';

const DAY = 86_400_000;

describe('Scheduler', () => {
  let scheduler: Scheduler | undefined;
  afterEach(() => scheduler?.close());

  function setup(start = 0) {
    const clock = new FakeClock(start);
    const fired: { keys: string[]; now: number }[] = [];
    scheduler = new Scheduler(clock, (keys, now) => fired.push({ keys: [...keys], now }));
    return { clock, fired, scheduler };
  }

  it('fires a deadline exactly at its time, not before', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.set('a', 2_500);
    clock.advanceTo(2_499);
    expect(fired).toEqual([]);
    clock.advanceTo(2_500);
    expect(fired).toEqual([{ keys: ['a'], now: 2_500 }]);
  });

  it('handles every due deadline in one pass, earliest first', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.set('b', 200);
    scheduler.set('a', 100);
    // The wall clock steps past both; the timer armed for 'a' still waits its 100 ms (timers count
    // elapsed time), and wakes to find both due.
    clock.jump(500);
    clock.advance(1_000);
    expect(fired).toEqual([{ keys: ['a', 'b'], now: 600 }]);
  });

  it('never arms a timer more than a second ahead, so a 30-day wait cannot overflow', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.set('far', 30 * DAY);
    clock.advanceTo(30 * DAY - 1);
    expect(fired).toEqual([]);
    clock.advanceTo(30 * DAY);
    expect(fired).toEqual([{ keys: ['far'], now: 30 * DAY }]);
    expect(clock.waits.every((w) => w <= 1_000)).toBe(true);
  });

  it('re-arms earlier when a new deadline comes before the armed one', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.set('late', 900);
    scheduler.set('early', 300);
    clock.advanceTo(300);
    expect(fired).toEqual([{ keys: ['early'], now: 300 }]);
  });

  it('does not fire a deleted deadline', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.set('a', 100);
    scheduler.delete('a');
    clock.advance(5_000);
    expect(fired).toEqual([]);
  });

  it('fires deadlines passed by a forward jump of the wall clock on the next wake', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.set('a', 3_600_000);
    clock.jump(3_600_000 + 10);
    clock.advance(1_000);
    expect(fired).toHaveLength(1);
    expect(fired[0]?.now).toBeLessThanOrEqual(3_600_000 + 10 + 1_000);
  });

  it('waits out a backward jump of the wall clock instead of firing early', () => {
    const { clock, fired, scheduler } = setup(3_600_000);
    scheduler.set('a', 3_600_000 + 5_000);
    clock.jump(-3_600_000);
    clock.advance(3_600_000);
    expect(fired).toEqual([]);
    clock.advance(5_000);
    expect(fired).toEqual([{ keys: ['a'], now: 3_600_000 + 5_000 }]);
  });

  it('accepts deadlines set while firing and fires them on time', () => {
    const clock = new FakeClock(0);
    const fired: number[] = [];
    scheduler = new Scheduler(clock, (_keys, now) => {
      fired.push(now);
      if (fired.length < 3) scheduler?.set('a', now + 250);
    });
    scheduler.set('a', 250);
    clock.advance(2_000);
    expect(fired).toEqual([250, 500, 750]);
  });

  it('leaves no timer behind when closed', () => {
    const { clock, scheduler } = setup();
    scheduler.set('a', 100);
    scheduler.close();
    expect(clock.pendingTimers).toBe(0);
  });
});
