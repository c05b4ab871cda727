// The window of a grouped hook, with times as numbers: the ms before, at and after `wait`, and
// exactly `max` rows in hand.
import { describe, expect, it } from 'vitest';
import { GroupWindows, groupOf } from '../../src/alert/grouping.js';
import { delivered, type Hook } from '../../src/core/hook.js';

const group = { waitMs: 500, max: 3 };
const openedAt = 1_000;

function windowWith(queued: number): GroupWindows {
  const w = new GroupWindows();
  w.update('ops', group, queued, openedAt);
  return w;
}

describe('a grouped hook’s window', () => {
  it.each([
    [1, openedAt, false],
    [1, openedAt + 499, false],
    [1, openedAt + 500, true],
    [1, openedAt + 501, true],
    [2, openedAt + 499, false],
    [3, openedAt, true],
    [4, openedAt, true],
  ])('with %i rows in hand at %i is due: %s', (queued, now, due) => {
    expect(windowWith(queued).due('ops', group, queued, now)).toBe(due);
  });

  it('is not moved by rows that arrive while it is open', () => {
    const w = windowWith(1);
    w.update('ops', group, 2, openedAt + 400);
    expect(w.endsAt('ops')).toBe(openedAt + 500);
    expect(w.due('ops', group, 2, openedAt + 500)).toBe(true);
  });

  it('ends at the earliest window end after now, for the dispatcher’s timer', () => {
    const w = windowWith(1);
    w.update('pager', { waitMs: 100, max: 3 }, 1, openedAt);
    expect(w.nextEnd(openedAt)).toBe(openedAt + 100);
    expect(w.nextEnd(openedAt + 100)).toBe(openedAt + 500);
    expect(w.nextEnd(openedAt + 500)).toBeNull();
  });

  it('closes when its group is taken with no row left, and opens anew with the next row', () => {
    const w = windowWith(3);
    w.taken('ops', 0);
    expect(w.endsAt('ops')).toBeNull();
    w.update('ops', group, 1, openedAt + 10);
    expect(w.endsAt('ops')).toBe(openedAt + 510);
  });

  it('stays open from its first row when rows are left after a group (a smaller max)', () => {
    const w = windowWith(5);
    w.taken('ops', 2);
    expect(w.due('ops', group, 2, openedAt + 500)).toBe(true);
  });

  it('is never due with no row in hand', () => {
    const w = windowWith(1);
    w.update('ops', group, 0, openedAt + 1);
    expect(w.due('ops', group, 0, openedAt + 10_000)).toBe(false);
  });
});

describe('groupOf', () => {
  const deliver = () => Promise.resolve(delivered);
  const base: Hook = { name: 'ops', target: 't', deliver };

  it('is the hook’s group when it can deliver one, else undefined', () => {
    expect(groupOf({ ...base, group })).toBeUndefined();
    expect(groupOf({ ...base, group, deliverGroup: deliver })).toEqual(group);
    expect(groupOf({ ...base, deliverGroup: deliver })).toBeUndefined();
  });
});
