import { describe, expect, it } from 'vitest';
import { uptimeRatios, type StatusChange } from '../../src/core/uptime.js';

const H = 3_600_000;
const NOW = 1_000 * H;
const DAY = 24 * H;

/** Changes given oldest first, as they happened; uptimeRatios takes them newest first. */
const history = (...changes: StatusChange[]) => [...changes].reverse();

describe('uptime over a window', () => {
  it('is 1 for a monitor up all along, and null for one never pinged', () => {
    const changes = history({ at: NOW - 30 * DAY, from: 'new', to: 'up' });
    expect(uptimeRatios(changes, 'up', NOW, [DAY, 7 * DAY], true)).toEqual([1, 1]);
    expect(uptimeRatios([], 'new', NOW, [DAY], true)).toEqual([null]);
  });

  it('counts the time down against the time watched', () => {
    const changes = history(
      { at: NOW - 10 * DAY, from: 'new', to: 'up' },
      { at: NOW - 6 * H, from: 'up', to: 'down' },
      { at: NOW - 3 * H, from: 'down', to: 'up' },
    );
    const [day, week, month] = uptimeRatios(changes, 'up', NOW, [DAY, 7 * DAY, 30 * DAY], true);
    expect(day).toBeCloseTo(1 - 3 / 24);
    expect(week).toBeCloseTo(1 - 3 / (7 * 24));
    // Watched only since its first ping, 10 days ago.
    expect(month).toBeCloseTo(1 - 3 / (10 * 24));
  });

  it('counts a down that is still going on up to now', () => {
    const changes = history(
      { at: NOW - 30 * DAY, from: 'new', to: 'up' },
      { at: NOW - 2 * H, from: 'up', to: 'down' },
    );
    expect(uptimeRatios(changes, 'down', NOW, [4 * H], true)[0]).toBeCloseTo(0.5);
  });

  it('leaves paused time out of the watched time', () => {
    const changes = history(
      { at: NOW - 30 * DAY, from: 'new', to: 'up' },
      { at: NOW - 20 * H, from: 'up', to: 'paused' },
      { at: NOW - 4 * H, from: 'paused', to: 'down' },
      { at: NOW - 2 * H, from: 'down', to: 'up' },
    );
    expect(uptimeRatios(changes, 'up', NOW, [DAY], true)[0]).toBeCloseTo(1 - 2 / 8);
  });

  it('counts late and running as up', () => {
    const changes = history(
      { at: NOW - 30 * DAY, from: 'new', to: 'up' },
      { at: NOW - 3 * H, from: 'up', to: 'late' },
      { at: NOW - 2 * H, from: 'late', to: 'running' },
    );
    expect(uptimeRatios(changes, 'running', NOW, [DAY], true)).toEqual([1]);
  });

  it('counts only what it read when the history was cut short', () => {
    const changes = history(
      { at: NOW - 4 * H, from: 'up', to: 'down' },
      { at: NOW - 2 * H, from: 'down', to: 'up' },
    );
    expect(uptimeRatios(changes, 'up', NOW, [DAY], false)[0]).toBeCloseTo(0.5);
    expect(uptimeRatios(changes, 'up', NOW, [DAY], true)[0]).toBeCloseTo(1 - 2 / 24);
  });
});
