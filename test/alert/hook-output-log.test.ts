// A command hook's output reaches the daemon's log, one line per line, tagged with hook and monitor.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/alert/dispatcher.js';
import type { Hook } from '../../src/core/hook.js';
import { createLogger } from '../../src/platform/log.js';
import { Store } from '../../src/store/store.js';
import { hookOf, queueDownAlerts } from '../helpers/alert.js';
import { tempDir } from '../helpers/temp.js';

describe('the dispatcher logging what a hook printed', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let dispatcher: Dispatcher | undefined;
  let lines: Record<string, unknown>[];
  const now = 1_000_000;

  beforeEach(() => {
    dir = tempDir();
    store = new Store(dir.path);
    lines = [];
  });
  afterEach(async () => {
    await dispatcher?.close(1_000);
    store.close();
    dir.remove();
  });

  async function deliverOnce(hook: Hook): Promise<void> {
    queueDownAlerts(store, 'log', now);
    const log = createLogger({
      format: 'json',
      timestamps: false,
      write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    dispatcher = new Dispatcher({
      outbox: store,
      hooks: () => new Map([['log', hook]]),
      now: () => now,
      wakeAt: () => {},
      log,
    });
    dispatcher.wake();
    await dispatcher.idle();
  }

  it('logs each line the command printed, with the hook, the monitor and the stream', async () => {
    await deliverOnce(
      hookOf([`command: 'echo "$OVERDUE_MONITOR is $OVERDUE_STATUS" >&2; echo done'`]),
    );
    const output = lines.filter((l) => l.msg === 'hook output');
    expect(output).toContainEqual({
      level: 'info',
      msg: 'hook output',
      hook: 'log',
      monitor: 'nightly-backup',
      stream: 'stderr',
      line: 'nightly-backup is down',
    });
    expect(output).toContainEqual(expect.objectContaining({ stream: 'stdout', line: 'done' }));
    expect(lines.at(-1)).toMatchObject({ msg: 'alert delivered', hook: 'log' });
  });

  it('says how much output it cut', async () => {
    await deliverOnce(hookOf([`command: "head -c 70000 /dev/zero | tr '\\\\0' x"`]));
    expect(lines.find((l) => l.msg === 'hook output cut')).toEqual({
      level: 'warn',
      msg: 'hook output cut',
      hook: 'log',
      monitor: 'nightly-backup',
      cut_bytes: 70_000 - 64 * 1024,
      limit_bytes: 64 * 1024,
    });
  });
});
