// Alerts of a hook that a reload removes while the dispatcher has them in hand (queued, running,
// or held back after an unrecorded attempt): once out of its hands, they go to the hooks their
// monitor notifies now. A real SQLite file; scripted hooks decide when deliveries finish.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/alert/dispatcher.js';
import { failed, type Hook } from '../../src/core/hook.js';
import type { AttemptOutcome } from '../../src/engine/ports.js';
import { silentLogger } from '../../src/platform/log.js';
import { Store } from '../../src/store/store.js';
import { queueDownAlerts } from '../helpers/alert.js';
import { ScriptedHook } from '../helpers/scripted-hook.js';
import { tempDir } from '../helpers/temp.js';

describe('the dispatcher rehoming alerts it had in hand when their hook left', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let now: number;
  let hooks: Map<string, Hook>;
  let failRecords: number;
  let dispatcher: Dispatcher | undefined;

  beforeEach(() => {
    dir = tempDir();
    store = new Store(dir.path);
    now = 1_000_000;
    failRecords = 0;
  });
  afterEach(async () => {
    await dispatcher?.close(1_000);
    store.close();
    dir.remove();
  });

  function enqueue(hook: string, count: number): void {
    queueDownAlerts(store, hook, now, { count, slug: 'backup' });
  }

  /** The monitor `backup` notifies whichever hooks are configured now. */
  function start(list: Hook[], perHookConcurrency = 4): Dispatcher {
    hooks = new Map(list.map((h) => [h.name, h]));
    dispatcher = new Dispatcher({
      outbox: {
        pendingAlerts: (...a) => store.pendingAlerts(...a),
        recordAttempts: (outcomes: readonly AttemptOutcome[]) => {
          if (failRecords-- > 0) throw new Error('database or disk is full');
          store.recordAttempts(outcomes);
        },
      },
      hooks: () => hooks,
      now: () => now,
      wakeAt: () => {},
      log: silentLogger,
      perHookConcurrency,
      random: () => 0.5,
      rehoming: {
        store: store.stranded,
        notifyOf: (slug) => (slug === 'backup' ? [...hooks.keys()] : null),
      },
    });
    return dispatcher;
  }

  /** The states of each hook's rows, as `hook:state` counts. */
  const states = () =>
    store.db
      .prepare(
        `SELECT hook || ':' || state AS s, COUNT(*) AS n FROM outbox GROUP BY hook, state ORDER BY s`,
      )
      .all();

  it('sends the queued alerts of a hook removed mid-storm through the new hook', async () => {
    const old = new ScriptedHook('old');
    old.hold = true;
    enqueue('old', 6);
    const d = start([old], 2);
    d.wake();
    expect(old.waiting).toBe(2);
    const replacement = new ScriptedHook('new');
    hooks = new Map([['new', replacement]]);
    d.refresh();
    old.release();
    await d.idle();
    expect([old.calls, replacement.calls]).toEqual([2, 4]);
    expect(states()).toEqual([
      { s: 'new:delivered', n: 4 },
      { s: 'old:delivered', n: 2 },
      { s: 'old:moved', n: 4 },
    ]);
  });

  it('sends an alert whose attempt failed while its hook was removed through the new hook', async () => {
    const old = new ScriptedHook('old');
    old.hold = true;
    old.answers = [failed('HTTP 503', false, 503)];
    enqueue('old', 1);
    const d = start([old]);
    d.wake();
    const replacement = new ScriptedHook('new');
    hooks = new Map([['new', replacement]]);
    d.refresh();
    old.release();
    await d.idle();
    expect(replacement.calls).toBe(1);
    expect(states()).toEqual([
      { s: 'new:delivered', n: 1 },
      { s: 'old:moved', n: 1 },
    ]);
  });

  it('sends an alert of a removed hook through the new hook once its unrecorded hold ends', async () => {
    const old = new ScriptedHook('old');
    enqueue('old', 1);
    failRecords = 1;
    const d = start([old]);
    d.wake();
    await d.idle();
    const replacement = new ScriptedHook('new');
    hooks = new Map([['new', replacement]]);
    d.refresh();
    await d.idle();
    expect(replacement.calls).toBe(0);
    now += 5_000;
    d.wake();
    await d.idle();
    expect([old.calls, replacement.calls]).toEqual([1, 1]);
    expect(states()).toEqual([
      { s: 'new:delivered', n: 1 },
      { s: 'old:moved', n: 1 },
    ]);
  });
});
