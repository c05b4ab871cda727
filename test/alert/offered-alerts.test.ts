// The outbox rows a commit just wrote are handed to the dispatcher with its wake: when it knows that
// nothing else of the hook is due, it claims them as they are, and the first alert after a quiet
// spell costs no outbox query (nor one per other hook). Otherwise it looks in the outbox as before.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/alert/dispatcher.js';
import type { Hook } from '../../src/core/hook.js';
import { initialState } from '../../src/core/state.js';
import type { OutboxItem, OutboxStore } from '../../src/engine/ports.js';
import { silentLogger } from '../../src/platform/log.js';
import { Store } from '../../src/store/store.js';
import { queueDownAlerts, sampleAlert } from '../helpers/alert.js';
import { ScriptedHook } from '../helpers/scripted-hook.js';
import { tempDir } from '../helpers/temp.js';

const NOW = 1_000_000;

describe('rows handed to the dispatcher by the commit that wrote them', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let dispatcher: Dispatcher;
  let queries: string[];
  let ops: ScriptedHook;
  let pager: ScriptedHook;

  beforeEach(() => {
    dir = tempDir();
    store = new Store(dir.path);
    queries = [];
    ops = new ScriptedHook('ops');
    pager = new ScriptedHook('pager');
    const outbox: OutboxStore = {
      pendingAlerts: (hook, busy, limit) => {
        queries.push(hook);
        return store.pendingAlerts(hook, busy, limit);
      },
      recordAttempts: (outcomes) => store.recordAttempts(outcomes),
    };
    const hooks = new Map<string, Hook>([
      ['ops', ops],
      ['pager', pager],
    ]);
    dispatcher = new Dispatcher({
      outbox,
      hooks: () => hooks,
      now: () => NOW,
      wakeAt: () => {},
      log: silentLogger,
    });
  });
  afterEach(async () => {
    await dispatcher.close(1_000);
    store.close();
    dir.remove();
  });

  /** A down alert for `hook` written as a commit writes it; the row as the commit hands it on. */
  function commitAlert(hook: string): OutboxItem {
    const id = store.addMonitor(`m-${hook}`, initialState(NOW));
    const t = store.insertTransition(id, {
      slug: `m-${hook}`,
      at: NOW,
      from: 'late',
      to: 'down',
      reason: 'timeout',
      deadlineAt: NOW,
      alert: 'down',
    });
    const payload = JSON.stringify(sampleAlert({ transition_id: t }));
    const outboxId = store.enqueueAlert(t, hook, payload, NOW);
    return { id: outboxId, hook, payload, attempts: 0, createdAt: NOW, nextAttemptAt: NOW };
  }

  const states = () => store.db.prepare('SELECT hook, state FROM outbox ORDER BY id').all();

  it('delivers them without an outbox query once it knows nothing else is due', async () => {
    dispatcher.wake();
    await dispatcher.idle();
    queries.length = 0;

    dispatcher.wake([commitAlert('ops')]);
    await dispatcher.idle();
    expect(ops.calls).toBe(1);
    expect(queries).toEqual([]);
    expect(states()).toEqual([{ hook: 'ops', state: 'delivered' }]);
  });

  it('looks in the outbox for a hook whose pending rows it does not know', async () => {
    queueDownAlerts(store, 'ops', NOW - 1_000);
    dispatcher.wake([commitAlert('ops')]);
    await dispatcher.idle();
    expect(ops.calls).toBe(2);
    expect(queries).toContain('ops');
    expect(states()).toEqual([
      { hook: 'ops', state: 'delivered' },
      { hook: 'ops', state: 'delivered' },
    ]);
  });
});
