// A command hook whose commands leave processes holding their output (setsid, out of the group)
// must free its delivery slots at the timeout: more alerts than the hook's slots are all attempted,
// recorded as timed out, and logged with the hook, the monitor and the process group killed. Real
// processes, a real SQLite file; the stray processes are killed by the pids they wrote.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alive, killQuietly } from '../helpers/process.js';
import { Dispatcher } from '../../src/alert/dispatcher.js';
import { DRAIN_MS, KILL_AFTER_MS } from '../../src/hooks/command-run.js';
import { createLogger } from '../../src/platform/log.js';
import { Store } from '../../src/store/store.js';
import { hookOf, queueDownAlerts } from '../helpers/alert.js';
import { tempDir } from '../helpers/temp.js';

const ALERTS = 5; // one more than a command hook's 4 slots
const TIMEOUT_MS = 300;
// Each round of attempts ends by the timeout, the SIGKILL grace and the drain; two rounds, and
// room for a busy machine. Without the fix the attempts wait for the strays (1000 s).
const BOUND_MS = 2 * (TIMEOUT_MS + KILL_AFTER_MS + DRAIN_MS) + 5_000;
const now = 1_000_000;

describe('a command hook whose commands leave a stray process holding their output', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let dispatcher: Dispatcher | undefined;
  let lines: Record<string, unknown>[];

  beforeEach(() => {
    dir = tempDir();
    store = new Store(join(dir.path, 'data'));
    lines = [];
  });
  afterEach(async () => {
    await dispatcher?.close(1_000);
    store.close();
    for (const pid of strayPids()) killQuietly(pid);
    dir.remove();
  });

  function strayPids(): number[] {
    return readdirSync(dir.path)
      .filter((f) => f.endsWith('.pid'))
      .map((f) => Number(readFileSync(join(dir.path, f), 'utf8').trim()));
  }

  function enqueue(): void {
    queueDownAlerts(store, 'stuck', now, { count: ALERTS });
  }

  it('attempts every alert, each ended at its timeout, and logs what it killed', async () => {
    enqueue();
    const stray = `setsid sh -c 'echo $$$$ > ${dir.path}/$OVERDUE_TRANSITION_ID.pid; exec sleep 1000' &`;
    const hook = { ...hookOf([`command: "${stray} sleep 1000"`, `timeout: ${TIMEOUT_MS}ms`]) };
    const log = createLogger({
      format: 'json',
      timestamps: false,
      write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    const d = (dispatcher = new Dispatcher({
      outbox: store,
      hooks: () => new Map([['stuck', { ...hook, name: 'stuck' }]]),
      now: () => now,
      wakeAt: () => {},
      log,
      random: () => 0.5,
    }));
    d.wake();
    let guard: NodeJS.Timeout | undefined;
    const late = new Promise<string>(
      (r) => (guard = setTimeout(() => r('still running'), BOUND_MS)),
    );
    const ended = await Promise.race([d.idle().then(() => 'idle'), late]);
    clearTimeout(guard);
    expect(ended).toBe('idle');

    const errors = store.db.prepare('SELECT error FROM deliveries ORDER BY id').all() as {
      error: string;
    }[];
    expect(errors).toHaveLength(ALERTS);
    for (const { error } of errors)
      expect(error).toMatch(/^timed out after 300 ms; killed process group \d+/);
    const failures = lines.filter((l) => l.msg === 'alert delivery failed; will retry');
    expect(failures).toHaveLength(ALERTS);
    expect(failures[0]).toMatchObject({ hook: 'stuck', monitor: 'nightly-backup' });
    expect(String(failures[0]?.error)).toMatch(/killed process group \d+ \(SIGTERM\)/);
    // None of the attempts waited for its stray process.
    expect(strayPids().filter(alive)).toHaveLength(ALERTS);
  });
});
