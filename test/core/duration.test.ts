import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/core/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
    ['1d12h', 129_600_000],
    ['1m30s250ms', 90_250],
    ['0s', 0],
    ['0', 0],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['', 'empty'],
    ['90', 'a bare number'],
    ['1.5h', 'a fraction'],
    ['-5m', 'a negative'],
    ['5 m', 'a space'],
    ['1h 30m', 'a space between parts'],
    ['5M', 'an upper-case unit'],
    ['5min', 'an unknown unit'],
    ['30m1h', 'units in ascending order'],
    ['1m1m', 'a repeated unit'],
    ['m', 'a unit without a number'],
    ['99999999999999999999d', 'more than a safe integer'],
  ])('rejects %j (%s)', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [90_000, '1m30s'],
    [5_400_000, '1h30m'],
    [604_800_000, '1w'],
    [31_536_000_000, '365d'],
    [90_250, '1m30s250ms'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('writes a duration that parseDuration reads back to the same value', () => {
    for (const ms of [
      1,
      999,
      1000,
      61_001,
      3_600_000,
      86_400_001,
      8 * 86_400_000,
      31_536_000_000,
    ]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});
