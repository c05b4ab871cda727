// Writes outside the group commit (a deadline's transition and its outbox rows, recorded
// deliveries) are made durable soon, without anyone waiting. Their WAL sync is asked for once the
// turn is over, after the immediates it queued: an alert's request, which undici writes in an
// immediate, leaves before the sync starts (and long before its answer and checkpoint run).
import { describe, expect, it, vi } from 'vitest';
import { initialState } from '../../src/core/state.js';
import { storeFixture } from '../helpers/store.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('the WAL sync of a write outside the group commit', () => {
  const s = storeFixture();

  it('is asked for once the turn is over, once for every transaction of that turn', async () => {
    const id = s.store.addMonitor('a', initialState(0));
    const afterCommit = vi.spyOn(s.store.wal, 'afterCommit');
    s.store.transaction(() => s.store.saveState(id, { ...initialState(0), status: 'up' }));
    s.store.transaction(() => s.store.saveState(id, { ...initialState(0), status: 'down' }));
    expect(afterCommit).not.toHaveBeenCalled();
    await turn();
    await turn();
    expect(afterCommit).toHaveBeenCalledTimes(1);
  });

  it('is asked for after what the turn queued after its write (an alert request)', async () => {
    const id = s.store.addMonitor('a', initialState(0));
    const order: string[] = [];
    vi.spyOn(s.store.wal, 'afterCommit').mockImplementation(() => order.push('sync'));
    s.store.transaction(() => s.store.saveState(id, { ...initialState(0), status: 'down' }));
    setImmediate(() => order.push('request written'));
    await turn();
    await turn();
    expect(order).toEqual(['request written', 'sync']);
  });

  it('is not asked for once the store is closed', async () => {
    const id = s.store.addMonitor('a', initialState(0));
    const afterCommit = vi.spyOn(s.store.wal, 'afterCommit');
    s.store.transaction(() => s.store.saveState(id, { ...initialState(0), status: 'up' }));
    // close() syncs the WAL itself: what was committed before it is on disk already.
    s.store.close();
    await turn();
    await turn();
    expect(afterCommit).not.toHaveBeenCalled();
  });
});
