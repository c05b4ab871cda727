import { describe, expect, it } from 'vitest';
import { initialState } from '../../src/core/state.js';
import { storeFixture } from '../helpers/store.js';

describe('Store.oldestDueAlertAt', () => {
  const s = storeFixture();

  it('is the due time of the oldest pending alert that is due, or null', () => {
    const id = s.store.addMonitor('backup', initialState(0));
    const t = s.store.insertTransition(id, {
      slug: 'backup',
      at: 100,
      from: 'up',
      to: 'down',
      reason: 'timeout',
      deadlineAt: 90,
      alert: 'down',
    });
    expect(s.store.oldestDueAlertAt(1_000)).toBeNull();
    s.store.enqueueAlert(t, 'ops', '{}', 300);
    s.store.enqueueAlert(t, 'pager', '{}', 200);
    expect(s.store.oldestDueAlertAt(199)).toBeNull();
    expect(s.store.oldestDueAlertAt(250)).toBe(200);
    expect(s.store.oldestDueAlertAt(1_000)).toBe(200);
  });
});
