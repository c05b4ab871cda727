import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/core/state.js';
import { storeFixture } from '../helpers/store.js';

describe('Store, depends-on', () => {
  const s = storeFixture();

  it('keeps a suppressed and released down across a reopen', () => {
    const state = {
      ...initialState(5),
      status: 'down' as const,
      suppressedBy: 'router',
      releasedAt: 9,
    };
    const id = s.store.addMonitor('backup', initialState(5));
    s.store.saveState(id, state);
    expect(s.reopen().loadMonitors().get('backup')).toEqual({ id, state });
  });

  it('records the parent of a transition', () => {
    const id = s.store.addMonitor('backup', initialState(5));
    const t = {
      slug: 'backup',
      at: 7,
      from: 'up',
      to: 'down',
      reason: 'timeout',
      deadlineAt: 6,
    } as const;
    s.store.insertTransition(id, { ...t, alert: null, parent: 'router' });
    s.store.insertTransition(id, { ...t, alert: 'down' });
    const rows = s.reopen().history.transitions(id, { before: Number.MAX_SAFE_INTEGER, limit: 10 });
    expect(rows.map((r) => [r.alert, r.parent])).toEqual([
      ['down', null],
      [null, 'router'],
    ]);
  });
});
