// Writes outside the group commit (a deadline's transition and its outbox rows, recorded
// deliveries) are made durable soon, without anyone waiting. Their WAL sync is asked for at the
// end of the turn, not inside it: an alert queued by the write leaves first, before the sync's
// answer (file checks, a checkpoint copying pages on the loop) can run.
import { describe, expect, it, vi } from 'vitest';
import { initialState } from '../../src/core/state.js';
import { storeFixture } from '../helpers/store.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('the WAL sync of a write outside the group commit', () => {
  const s = storeFixture();

  it('is asked for once at the end of the turn, for every transaction of that turn', async () => {
    const id = s.store.addMonitor('a', initialState(0));
    const afterCommit = vi.spyOn(s.store.wal, 'afterCommit');
    s.store.transaction(() => s.store.saveState(id, { ...initialState(0), status: 'up' }));
    s.store.transaction(() => s.store.saveState(id, { ...initialState(0), status: 'down' }));
    expect(afterCommit).not.toHaveBeenCalled();
    await turn();
    expect(afterCommit).toHaveBeenCalledTimes(1);
  });

  it('is not asked for once the store is closed', async () => {
    const id = s.store.addMonitor('a', initialState(0));
    const afterCommit = vi.spyOn(s.store.wal, 'afterCommit');
    s.store.transaction(() => s.store.saveState(id, { ...initialState(0), status: 'up' }));
    // close() syncs the WAL itself: what was committed before it is on disk already.
    s.store.close();
    await turn();
    expect(afterCommit).not.toHaveBeenCalled();
  });
});
